import type { MysqlServerInfo } from '../schema/index.js';
import type { MysqlSession } from './connect.js';

/** A paused reader (backpressure from a slow archive sink) must not make the server drop the connection. */
const LONG_TIMEOUT_SECONDS = 7 * 24 * 3600;

/**
 * Settings of every session that reads table data (backup workers and verify-restore):
 * - character_set_results = binary: values arrive as the column's own bytes, never converted, so utf8mb4 next to
 *   latin1 (or ucs2) columns round-trips byte for byte; statements themselves stay utf8mb4.
 * - sql_mode '' (no PAD_CHAR_TO_FULL_LENGTH, no ORACLE/ANSI variations of expressions), time_zone UTC so TIMESTAMP
 *   values are read as the restore session writes them.
 * - long net_write_timeout/wait_timeout and no statement time limit.
 */
export function readSessionSettings(server: MysqlServerInfo): string {
  const settings = [
    "sql_mode = ''",
    "time_zone = '+00:00'",
    'character_set_results = binary',
    `net_write_timeout = ${LONG_TIMEOUT_SECONDS}`,
    `wait_timeout = ${LONG_TIMEOUT_SECONDS}`,
    server.flavor === 'mariadb' ? 'max_statement_time = 0' : 'max_execution_time = 0',
  ];
  return `SET ${settings.map((setting) => `SESSION ${setting}`).join(', ')}`;
}

export async function prepareReadSession(session: MysqlSession, server: MysqlServerInfo): Promise<void> {
  await session.client.query(readSessionSettings(server));
}
