import type { SqlScriptOptions, SqlScriptResult } from '@dbbackup/archive';
import { ProgressReporter, SinkWriter } from '@dbbackup/engine-kit';
import { tableReadSpec } from '../backup/select-list.js';
import { closeQuietly, connect, destroySession, type MysqlSession } from '../connection/connect.js';
import { prepareReadSession } from '../connection/read-session.js';
import { requireSupportedServer } from '../connection/server-version.js';
import { dumpSchema, type MysqlFlavor, restoreSessionSetup } from '../schema/index.js';
import { DEFAULT_MAX_INSERT_BYTES, writeTableInserts } from './table-inserts.js';

export interface MysqlSqlScriptOptions extends SqlScriptOptions {
  /** Characters per extended INSERT statement (default 1 MiB). */
  maxInsertBytes?: number;
  /** Which server family the caller expects; only used to name it in connection errors. */
  flavor?: MysqlFlavor;
}

/**
 * Writes one database as a plain SQL script for the `mariadb`/`mysql` client (`mariadb newdb < script.sql`): the
 * restore session setup, pre-data (sequences, tables, routines, views), every table's rows as extended INSERTs
 * (history rows of system-versioned tables included), then post-data (deferred indexes, sequence values, triggers,
 * events). Everything is read on one connection inside one consistent-snapshot transaction. Statements whose text
 * holds a `;` (routine, trigger and event bodies) are framed with `DELIMITER ;;`, as mysqldump does. With
 * `orderByPrimaryKey` each table with a primary key is read in key order. The sink is ended when the script is
 * complete and destroyed with the error otherwise.
 */
export async function writeSqlScript(options: MysqlSqlScriptOptions): Promise<SqlScriptResult> {
  const startedAt = Date.now();
  const writer = new SinkWriter(options.sink);
  const progress = new ProgressReporter(options.onProgress);
  const maxInsertBytes = options.maxInsertBytes ?? DEFAULT_MAX_INSERT_BYTES;
  let session: MysqlSession | undefined;
  try {
    progress.phase('connect');
    session = await connect(options.connection, options.database, { flavor: options.flavor, logger: options.logger });
    const server = (await requireSupportedServer(session)).info;
    await session.client.query('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    await session.client.query('START TRANSACTION WITH CONSISTENT SNAPSHOT');

    progress.phase('schema');
    const schema = await dumpSchema(session.client, options.database, { deferSecondaryIndexes: true });
    await prepareReadSession(session, server);
    await writer.write(
      `-- dbbackup SQL script of database ${JSON.stringify(options.database)} (${server.flavor} ${server.version})\n` +
        `-- Restore with: mariadb <database> < script.sql\n\n`,
    );
    for (const statement of restoreSessionSetup(server)) await writeStatement(writer, statement);
    await writer.write('\n');
    for (const statement of schema.preData) await writeStatement(writer, statement);

    const tables = schema.tables
      .map((table) => ({ table, spec: tableReadSpec(table, server) }))
      .filter(({ table, spec }) => table.ownsData && spec.columnCount > 0);
    progress.phase('data', { tablesTotal: tables.length });
    let rows = 0;
    for (const { table, spec } of tables) {
      await writer.write(`\n-- Data of ${table.quotedName}\n`);
      const tableRows = await writeTableInserts(
        session,
        table,
        spec,
        writer,
        maxInsertBytes,
        options.orderByPrimaryKey === true,
      );
      rows += tableRows;
      progress.add(tableRows, 0);
      progress.tableDone();
    }

    progress.phase('post-data');
    await writer.write('\n');
    for (const item of schema.postData) {
      for (const statement of item.statements) await writeStatement(writer, statement);
    }
    await session.client.query('COMMIT');
    // The last line: readers (restore diagnose) tell a finished script from one cut off mid-write by it.
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
    // The session may be mid-query (rows still streaming): cut it off instead of waiting.
    destroySession(session);
    session = undefined;
    writer.fail(error as Error);
    throw error;
  } finally {
    await closeQuietly(session);
  }
}

/**
 * One statement for the client. A statement with a `;` in it (a stored program body, or a string literal) is framed
 * with `DELIMITER ;;` so the client sends it whole; others end with `;`.
 */
export async function writeStatement(writer: SinkWriter, statement: string): Promise<void> {
  if (statement.includes(';')) {
    await writer.write(`DELIMITER ;;\n${statement};;\nDELIMITER ;\n`);
  } else {
    await writer.write(`${statement};\n`);
  }
}
