import type { Connection, RowDataPacket } from 'mysql2/promise';
import type { MysqlServerInfo } from './types.js';

/** The restore session's sql_mode, as mysqldump sets it: a 0 stays 0 in AUTO_INCREMENT columns, nothing strict. */
export const RESTORE_SQL_MODE = 'NO_AUTO_VALUE_ON_ZERO';
/** Every timestamp is written and read in UTC, so TIMESTAMP defaults and values survive any server time zone. */
export const RESTORE_TIME_ZONE = '+00:00';

/** Statements that put the settings the restore session setup made back after a stored object's own settings. */
export const RESET_NAMES = 'SET NAMES utf8mb4';
export const RESET_SQL_MODE = `SET sql_mode = '${RESTORE_SQL_MODE}'`;
export const RESET_TIME_ZONE = `SET time_zone = '${RESTORE_TIME_ZONE}'`;

/**
 * Settings every restore session (schema and data alike) runs first on any MySQL or MariaDB server, the same set
 * mysqldump writes at the top of its scripts. Use `restoreSessionSetup()` for the full list with the target's
 * extras.
 */
export const RESTORE_SESSION_SETUP: readonly string[] = [
  RESET_NAMES,
  RESET_TIME_ZONE,
  'SET foreign_key_checks = 0',
  'SET unique_checks = 0',
  RESET_SQL_MODE,
  'SET sql_notes = 0',
];

/**
 * RESTORE_SESSION_SETUP plus what the *target* server (pass `readServerInfo(targetConnection)`) needs. Both:
 * explicit TIMESTAMP defaults, so a `timestamp NOT NULL` column is created exactly as printed (session-settable on
 * MariaDB, and on MySQL from 8.0.2). MariaDB: no CHECK evaluation while loading rows the source already held, no
 * statement time limit, history rows of system-versioned tables loadable (10.11+). MySQL 8: tables without a
 * primary key allowed and no generated invisible primary key added (both need SESSION_VARIABLES_ADMIN).
 */
export function restoreSessionSetup(target: Pick<MysqlServerInfo, 'flavor' | 'versionNum'>): string[] {
  const statements = [...RESTORE_SESSION_SETUP];
  if (target.flavor === 'mariadb') {
    statements.push(
      'SET explicit_defaults_for_timestamp = 1',
      'SET check_constraint_checks = 0',
      'SET max_statement_time = 0',
    );
    if (target.versionNum >= 101100) statements.push('SET system_versioning_insert_history = 1');
  } else {
    if (target.versionNum >= 80002) statements.push('SET explicit_defaults_for_timestamp = 1');
    if (target.versionNum >= 80013) statements.push('SET sql_require_primary_key = 0');
    if (target.versionNum >= 80030) statements.push('SET sql_generate_invisible_primary_key = 0');
  }
  return statements;
}

/**
 * Session settings while dumping: an empty sql_mode so SHOW CREATE prints backticks and every option (no
 * ANSI_QUOTES, NO_*_OPTIONS or ORACLE formatting), UTC so TIMESTAMP defaults print as the restore session will
 * read them, utf8mb4 results, and quoted identifiers.
 */
const DUMP_SETTINGS: ReadonlyArray<readonly [string, string]> = [
  ['sql_mode', "''"],
  ['time_zone', `'${RESTORE_TIME_ZONE}'`],
  ['character_set_results', 'utf8mb4'],
  ['sql_quote_show_create', '1'],
];

/** Runs `work` with the dump settings in force on `connection`, then puts the caller's settings back. */
export async function withDumpSettings<T>(connection: Connection, work: () => Promise<T>): Promise<T> {
  const names = DUMP_SETTINGS.map(([name]) => name);
  const [rows] = await connection.query<RowDataPacket[]>(
    `SELECT ${names.map((name) => `@@SESSION.${name} AS ${name}`).join(', ')}`,
  );
  const saved: Record<string, unknown> = rows[0] ?? {};
  await connection.query(`SET ${DUMP_SETTINGS.map(([name, value]) => `SESSION ${name} = ${value}`).join(', ')}`);
  try {
    return await work();
  } finally {
    const restore = names.map((name) => `SESSION ${name} = ?`).join(', ');
    await connection
      .query(
        `SET ${restore}`,
        names.map((name) => saved[name] ?? null),
      )
      .catch(() => {
        // A broken connection cannot be restored; the caller sees the original error.
      });
  }
}
