import type { ConnectionOptions, Logger } from '@dbbackup/archive';
import { closeQuietly, connect, type MysqlSession } from '../connection/connect.js';
import { type MysqlFlavor, type MysqlServerInfo, restoreSessionSetup } from '../schema/index.js';

export interface RestoreSessionOptions {
  flavor?: MysqlFlavor;
  logger?: Logger;
  /** SET sql_log_bin = 0: the restore is not replicated (needs SUPER / BINLOG ADMIN). */
  skipBinlog: boolean;
}

/**
 * MariaDB 10.6+ turns an insert into an empty InnoDB table, in a session with unique_checks = 0 and
 * foreign_key_checks = 0, into a "bulk insert": it locks the whole table (LOCK_X, so a second session loading
 * another member of that table waits until the first commits) and buffers every row of the transaction in
 * innodb_sort_buffer_size runs (1 MiB by default) that it merge-sorts through temporary files at commit. Measured
 * here (10.11, one member per transaction): loading 3 M narrow rows took 8.6-9.6 s of server CPU that way against
 * 6.9-8.2 s row by row, 1 M wide rows 6.7-8.0 s against 5.5-5.7 s. unique_checks = 1 is enough to keep InnoDB on
 * the row-by-row path; it only makes unique *secondary* indexes present during the load check their keys, which is
 * exact anyway (the source held unique keys). MySQL has no such path, so it keeps the setup's unique_checks = 0.
 */
const MARIADB_DATA_LOAD_SETUP = ['SET SESSION unique_checks = 1'];

/**
 * Opens a connection to the restore target with the schema module's session setup (utf8mb4, UTC,
 * foreign_key_checks = 0, unique_checks = 0 (1 on MariaDB, see MARIADB_DATA_LOAD_SETUP), sql_mode
 * NO_AUTO_VALUE_ON_ZERO and nothing strict, history rows insertable on MariaDB 10.11+, ...) and long timeouts for
 * big index builds.
 */
export async function openRestoreSession(
  connection: ConnectionOptions,
  database: string,
  target: MysqlServerInfo,
  options: RestoreSessionOptions,
): Promise<MysqlSession> {
  const session = await connect(connection, database, { flavor: options.flavor, logger: options.logger });
  try {
    for (const statement of restoreSessionSetup(target)) await session.client.query(statement);
    if (target.flavor === 'mariadb') {
      for (const statement of MARIADB_DATA_LOAD_SETUP) await session.client.query(statement);
    }
    await session.client.query('SET SESSION net_read_timeout = 3600, SESSION wait_timeout = 604800');
    if (options.skipBinlog) await session.client.query('SET SESSION sql_log_bin = 0');
  } catch (error) {
    await closeQuietly(session);
    throw error;
  }
  return session;
}
