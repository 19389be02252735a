import { pipeline } from 'node:stream/promises';
import type { ArchiveReader, MemberEntry } from '@dbbackup/archive';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { ArchivedTable } from '../archive-layout.js';

/**
 * Loads one data member with COPY FROM STDIN in its own transaction. If the member's bytes are damaged the archive
 * stream fails (ChecksumMismatchError / CorruptDataError); pipeline then destroys the COPY stream, which sends
 * CopyFail, and the transaction is rolled back, so no partial member is ever committed.
 */
export async function loadDataMember(
  client: pg.Client,
  reader: ArchiveReader,
  table: ArchivedTable,
  entry: MemberEntry,
): Promise<void> {
  const columns = table.columns === '' ? '' : ` (${table.columns})`;
  await client.query('BEGIN');
  try {
    const copy = client.query(copyFrom(`COPY ${table.qualifiedName}${columns} FROM STDIN`));
    await pipeline(reader.openMember(entry), copy);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
