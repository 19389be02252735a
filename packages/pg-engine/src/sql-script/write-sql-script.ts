import type { SqlScriptOptions, SqlScriptResult } from '@dbbackup/archive';
import { ProgressReporter, SinkWriter } from '@dbbackup/engine-kit';
import type pg from 'pg';
import { CopyOutStream } from '../backup/copy-out-stream.js';
import { type LockedRelations, lockUserTables, translateBackupLockError } from '../backup/snapshot.js';
import { currentSizeEstimate, readRelationFacts } from '../backup/source-catalog.js';
import { Cancellation } from '../connection/cancellation.js';
import { closeQuietly, connect } from '../connection/connect.js';
import { requireSupportedServer } from '../connection/server-version.js';
import { OperationAbortedError } from '../errors.js';
import { dumpSchema, RESTORE_SESSION_SETUP, type TableDataInfo } from '../schema/index.js';
import { writeLargeObject } from './large-object-sql.js';
import { tableCopyStatements } from './table-copy-statements.js';

/**
 * --dump-format sql: one psql script of the database, restorable into an empty database with
 * `psql -X -v ON_ERROR_STOP=1 -d NEWDB -f script.sql`. Read in one REPEATABLE READ READ ONLY transaction (one
 * snapshot, ACCESS SHARE locks on the user tables as for a backup) over a single connection, since a script is
 * one sequential stream: the session setup and pre-data, each table's rows as `COPY ... FROM stdin;` followed by the
 * server's own COPY text (piped straight from the socket into the sink, no per-row work) and `\.`, large objects
 * (lo_create + lo_put), sequence values, then the post-data items in order. The sink is ended at the end, or
 * destroyed with the error. With `orderByPrimaryKey` the rows of tables with a primary key are read in key order
 * (see tableCopyStatements).
 */
export async function writeSqlScript(options: SqlScriptOptions): Promise<SqlScriptResult> {
  const startedAt = Date.now();
  const writer = new SinkWriter(options.sink);
  const progress = new ProgressReporter(options.onProgress);
  const operation = `SQL script of database "${options.database}"`;
  const cancellation = new Cancellation(options.signal);
  const aborted = () =>
    new OperationAbortedError(operation, 'the unfinished script output was destroyed', { cause: cancellation.reason });
  // At once: a sink stuck in backpressure would not notice the closed connection.
  cancellation.whenAborted(() => writer.fail(aborted()));
  let client: pg.Client | undefined;
  let locked: LockedRelations | undefined;
  try {
    progress.phase('connect');
    cancellation.throwIfAborted();
    client = cancellation.track(await connect(options.connection, options.database, options.logger));
    const version = await requireSupportedServer(client);
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const lsn = await client.query<{ lsn: string }>(
      `SELECT (CASE WHEN pg_catalog.pg_is_in_recovery() THEN pg_catalog.pg_last_wal_replay_lsn()
                    ELSE pg_catalog.pg_current_wal_lsn() END)::text AS lsn`,
    );
    locked = await lockUserTables(client, operation);

    progress.phase('schema');
    const schema = await dumpSchema(client, {});
    await writer.write(header(options.database, version.version, lsn.rows[0]!.lsn));
    await writer.write(`${schema.preData.trimEnd()}\n`);

    const tables = schema.tables.filter((table) => table.relkind === 'r' && !table.isPartitionParent);
    const facts = await readRelationFacts(
      client,
      tables.map((table) => table.oid),
    );
    progress.phase('data', {
      tablesTotal: tables.length,
      bytesTotal: tables.reduce(
        (sum, table) => sum + currentSizeEstimate(table.estimatedBytes, facts.get(table.oid)),
        0,
      ),
    });
    await writer.write('\n--\n-- Data\n--\n');
    let rows = 0;
    for (const table of tables) {
      const copied = await writeTableData(client, writer, table, options.orderByPrimaryKey === true, progress);
      rows += copied;
      progress.tableDone();
    }

    progress.phase('large-objects');
    if (schema.largeObjects.length > 0) await writer.write('\n--\n-- Large objects\n--\n');
    for (const largeObject of schema.largeObjects) progress.add(0, await writeLargeObject(client, writer, largeObject));

    progress.phase('post-data');
    if (schema.sequenceValues.length > 0) {
      await writer.write(`\n--\n-- Sequence values\n--\n${schema.sequenceValues.trimEnd()}\n`);
    }
    await writer.write(`\n--\n-- Post-data\n--\n${RESTORE_SESSION_SETUP}\n`);
    for (const item of schema.postData)
      await writer.write(`\n-- ${item.kind} ${oneLine(item.id)}\n${item.sql.trimEnd()}\n`);
    await client.query('COMMIT');
    await writer.write('\n-- dbbackup SQL script complete\n');
    await writer.end();
    progress.phase('done');
    return {
      bytes: writer.bytes,
      tables: tables.length,
      rows,
      durationMs: Date.now() - startedAt,
      warnings: schema.warnings,
    };
  } catch (error) {
    let failure = translateBackupLockError(error, operation, locked);
    if (cancellation.aborted) {
      await closeQuietly(client);
      await cancellation.terminateBackends(options.connection);
      failure = aborted();
    }
    writer.fail(failure as Error);
    throw failure;
  } finally {
    cancellation.dispose();
    await closeQuietly(client);
  }
}

/** `COPY t (cols) FROM stdin;`, the server's COPY TO output byte for byte, `\.`. Returns the row count. */
async function writeTableData(
  client: pg.Client,
  writer: SinkWriter,
  table: TableDataInfo,
  orderByPrimaryKey: boolean,
  progress: ProgressReporter,
): Promise<number> {
  const statements = tableCopyStatements(table, orderByPrimaryKey);
  await writer.write(`\n${statements.copyIn}\n`);
  const stream = client.query(new CopyOutStream(statements.copyOut));
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    await writer.write(chunk);
    progress.add(0, chunk.length);
  }
  await stream.completed;
  await writer.write('\\.\n');
  progress.add(stream.rowCount, 0);
  return stream.rowCount;
}

function header(database: string, serverVersion: string, lsn: string): string {
  return [
    '--',
    `-- dbbackup SQL script of database ${oneLine(JSON.stringify(database))} (PostgreSQL ${serverVersion})`,
    `-- one consistent snapshot, WAL position ${lsn}`,
    '-- restore into an empty database: psql -X -v ON_ERROR_STOP=1 -d NEWDB -f THIS_FILE',
    '--',
    '',
  ].join('\n');
}

/** Names can hold newlines; a comment line must not. */
function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}
