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
 * Opens a connection to the restore target with the schema module's session setup (utf8mb4, UTC,
 * foreign_key_checks = 0, unique_checks = 0, sql_mode NO_AUTO_VALUE_ON_ZERO and nothing strict, history rows
 * insertable on MariaDB 10.11+, ...) and long timeouts for big index builds.
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
    await session.client.query('SET SESSION net_read_timeout = 3600, SESSION wait_timeout = 604800');
    if (options.skipBinlog) await session.client.query('SET SESSION sql_log_bin = 0');
  } catch (error) {
    await closeQuietly(session);
    throw error;
  }
  return session;
}
