import type { ConnectionOptions, Logger } from '@dbbackup/archive';
import mysql from 'mysql2';
import type { Connection as PromiseConnection } from 'mysql2/promise';
import { DatabaseNotFoundError, MysqlConnectionError } from '../errors.js';
import type { MysqlFlavor } from '../schema/index.js';
import { type ResolvedTarget, resolveTarget } from './connection-target.js';

/** One server connection: the callback API for raw row streaming and LOAD DATA, the promise API for the rest. */
export interface MysqlSession {
  readonly core: mysql.Connection;
  readonly client: PromiseConnection;
  /** host:port or socket, for messages. */
  readonly target: string;
}

const CONNECT_TIMEOUT_MS = 30_000;

/** "MySQL" or "MariaDB", as the engine was chosen; used in connection messages before the server answered. */
export function serverLabel(flavor: MysqlFlavor | undefined): string {
  return flavor === 'mariadb' ? 'MariaDB' : 'MySQL';
}

/**
 * Opens one connection, to `database` when given. The password is never an option: it comes from MYSQL_PWD only
 * and never appears in messages. Connection failures become one-line typed errors naming host:port.
 */
export async function connect(
  connection: ConnectionOptions,
  database: string | undefined,
  options: { flavor?: MysqlFlavor; logger?: Logger } = {},
): Promise<MysqlSession> {
  const target = resolveTarget(connection);
  const core = mysql.createConnection({
    host: target.host,
    port: target.port,
    ...(target.socketPath ? { socketPath: target.socketPath } : {}),
    user: target.user,
    password: process.env.MYSQL_PWD ?? '',
    ...(database === undefined ? {} : { database }),
    charset: 'UTF8MB4_GENERAL_CI',
    // Values the engine reads through the promise API (catalog facts) stay exact strings.
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    multipleStatements: false,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      core.once('connect', () => resolve());
      core.once('error', reject);
    });
  } catch (error) {
    core.destroy();
    throw translateConnectError(error, target, database, options.flavor);
  }
  // An idle connection that dies (server restart, KILL) must not crash the process.
  core.on('error', (error: Error) => options.logger?.warn('MySQL connection error', { message: error.message }));
  return { core, client: core.promise(), target: target.description };
}

/** Ends a session politely, or destroys it when that fails or hangs (it may be mid-query or broken). */
export async function closeQuietly(session: MysqlSession | undefined): Promise<void> {
  if (!session) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      session.core.destroy();
      resolve();
    }, 2_000);
    session.core.end(() => {
      clearTimeout(timer);
      resolve();
    });
  }).catch(() => session.core.destroy());
}

/** Closes a session at once, aborting whatever it is running (used when a backup or restore fails). */
export function destroySession(session: MysqlSession | undefined): void {
  session?.core.destroy();
}

function translateConnectError(
  error: unknown,
  target: ResolvedTarget,
  database: string | undefined,
  flavor: MysqlFlavor | undefined,
): Error {
  const code = (error as { code?: string }).code;
  const where = target.description;
  const prefix = `cannot connect to ${serverLabel(flavor)} at ${where}`;
  const make = (message: string) => new MysqlConnectionError(`${prefix}: ${message}`, where, { cause: error });
  switch (code) {
    case 'ECONNREFUSED':
      return make('connection refused; check --host/--port or that the server is running');
    case 'ENOENT':
      return make('no socket there; check --socket or that the server is running');
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return make('host not found; check --host');
    case 'ETIMEDOUT':
      return make('timed out; check --host/--port and firewalls');
    case 'ER_BAD_DB_ERROR':
      return new DatabaseNotFoundError(database ?? '', where, { cause: error });
    case 'ER_ACCESS_DENIED_ERROR':
    case 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR':
      return make(`authentication failed for user "${target.user}"; set MYSQL_PWD or check the user`);
    case 'ER_DBACCESS_DENIED_ERROR':
      return make(`user "${target.user}" may not use database "${database ?? ''}"; grant access or check the name`);
    default: {
      const message = error instanceof Error ? error.message : String(error);
      return make(message);
    }
  }
}
