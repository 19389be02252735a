import type { ArchiveReader, MemberEntry } from '@dbbackup/archive';
import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { ArchivedTable } from '../archive-layout.js';
import { LOAD_DATA_FORMAT_CLAUSES } from '../backup/load-data-format.js';
import type { MysqlSession } from '../connection/connect.js';
import { DataLoadError, MysqlEngineError } from '../errors.js';

const ER_NOT_ALLOWED_COMMAND = 1148;
const ER_LOAD_INFILE_CAPABILITY_DISABLED = 3948;

/** The server refuses LOAD DATA LOCAL INFILE. */
export class LocalInfileDisabledError extends MysqlEngineError {
  constructor(cause: unknown) {
    super(
      'the target server refuses LOAD DATA LOCAL INFILE; enable it with SET GLOBAL local_infile = 1 (or local_infile=ON in the server configuration)',
      { cause },
    );
  }
}

const ER_WARN_DATA_TRUNCATED = 1265;
const ER_LOCK_DEADLOCK = 1213;
const ER_LOCK_WAIT_TIMEOUT = 1205;
/** How often a member whose load InnoDB chose as a deadlock victim is loaded again from the start. */
const DEADLOCK_RETRIES = 5;

/**
 * Fails unless every warning is one the archive announced: a truncation warning on an ENUM column for each ENUM
 * error value (index 0) in the member, which the server raises however that value is written although it stores
 * exactly index 0 (see backup/select-list.ts).
 */
async function checkWarnings(session: MysqlSession, table: ArchivedTable, entry: MemberEntry, count: number) {
  const [warnings] = await session.client.query<RowDataPacket[]>('SHOW WARNINGS');
  const expected = Number(entry.extra?.enumErrorValues ?? 0);
  const enumColumns = new Set(table.enumTokenColumns ?? []);
  const isAnnounced = (row: RowDataPacket) =>
    Number(row.Code) === ER_WARN_DATA_TRUNCATED &&
    enumColumns.has(/^Data truncated for column '(.*)' at row \d+$/s.exec(String(row.Message))?.[1] ?? '');
  if (count === expected && warnings.every(isAnnounced)) return;
  const detail = warnings
    .filter((row) => !isAnnounced(row))
    .slice(0, 5)
    .map((row) => `${row.Level} ${row.Code}: ${row.Message}`)
    .join('; ');
  throw new DataLoadError(table.name, entry.name, `${count} warnings (${detail || 'more than the archive announced'})`);
}

/**
 * Loads one data member with LOAD DATA LOCAL INFILE in its own transaction; the member's plaintext is streamed from
 * the archive through mysql2's infileStreamFactory (mysql2 pauses the archive stream when the socket is full).
 * If the member's bytes are damaged the archive stream fails before it ends; mysql2 then ends the upload and
 * reports that error, and the transaction is rolled back (InnoDB), so a damaged member never commits. Any warning
 * (a truncated or converted value) or a row count other than the manifest's fails the load: exact or nothing.
 */
export async function loadDataMember(
  session: MysqlSession,
  reader: ArchiveReader,
  table: ArchivedTable,
  entry: MemberEntry,
): Promise<void> {
  // Parallel loads into one table (several parts) or beside a deferred index build can deadlock in InnoDB. The
  // victim's whole transaction is rolled back, so loading the member again from the start is exact.
  for (let attempt = 1; ; attempt++) {
    try {
      return await loadDataMemberOnce(session, reader, table, entry);
    } catch (error) {
      const errno = (error as { errno?: number }).errno;
      const retryable = errno === ER_LOCK_DEADLOCK || errno === ER_LOCK_WAIT_TIMEOUT;
      if (!retryable || attempt > DEADLOCK_RETRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

async function loadDataMemberOnce(
  session: MysqlSession,
  reader: ArchiveReader,
  table: ArchivedTable,
  entry: MemberEntry,
): Promise<void> {
  // The file name is only a label the server hands back to the client; mysql2 asks our factory for the bytes.
  const sql = `LOAD DATA LOCAL INFILE '${entry.name}' INTO TABLE ${table.quotedName} ${LOAD_DATA_FORMAT_CLAUSES} (${table.loadColumns})`;
  await session.client.query('START TRANSACTION');
  try {
    const [result] = await session.client
      .query<ResultSetHeader>({ sql, infileStreamFactory: () => reader.openMember(entry) })
      .catch((error: unknown) => {
        const errno = (error as { errno?: number }).errno;
        if (errno === ER_NOT_ALLOWED_COMMAND || errno === ER_LOAD_INFILE_CAPABILITY_DISABLED) {
          throw new LocalInfileDisabledError(error);
        }
        throw error;
      });
    if (result.warningStatus > 0) await checkWarnings(session, table, entry, result.warningStatus);
    const expected = entry.rows ?? 0;
    if (result.affectedRows !== expected) {
      throw new DataLoadError(
        table.name,
        entry.name,
        `${result.affectedRows} rows loaded, the archive holds ${expected}`,
      );
    }
    await session.client.query('COMMIT');
  } catch (error) {
    await session.client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
