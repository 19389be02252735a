import type { ConnectionOptions, Logger } from '@dbbackup/archive';
import pg from 'pg';
import { DatabaseNotFoundError, PgConnectionError } from '../errors.js';
import { resolveTarget } from './connection-target.js';

export const DEFAULT_MAINTENANCE_DATABASE = 'postgres';
export const APPLICATION_NAME = 'dbbackup';

/**
 * Opens one connection to `database`. The password is never an option: pg reads PGPASSWORD or ~/.pgpass itself.
 * Connection failures become one-line typed errors that name host:port and never the password.
 */
export async function connect(connection: ConnectionOptions, database: string, logger?: Logger): Promise<pg.Client> {
  const target = resolveTarget(connection);
  const client = new pg.Client({
    host: target.host,
    port: target.port,
    user: target.user,
    database,
    application_name: APPLICATION_NAME,
    connectionTimeoutMillis: 30_000,
  });
  // An idle connection that dies (server restart, terminated backend) must not crash the process.
  client.on('error', (error) => logger?.warn('PostgreSQL connection error', { message: error.message }));
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw translateConnectError(error, target.description, database, target.user);
  }
  return client;
}

/** Ends a client, ignoring errors (it may already be broken). */
export async function closeQuietly(client: pg.Client | undefined): Promise<void> {
  if (client) await client.end().catch(() => undefined);
}

function translateConnectError(error: unknown, target: string, database: string, user: string | undefined): Error {
  const code = (error as { code?: string }).code;
  const prefix = `cannot connect to PostgreSQL at ${target}`;
  switch (code) {
    case 'ECONNREFUSED':
      return new PgConnectionError(
        `${prefix}: connection refused; check --host/--port or that the server is running`,
        target,
        { cause: error },
      );
    case 'ENOENT':
      return new PgConnectionError(
        `${prefix}: no socket there; check --socket/--port or that the server is running`,
        target,
        {
          cause: error,
        },
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new PgConnectionError(`${prefix}: host not found; check --host`, target, { cause: error });
    case 'ETIMEDOUT':
      return new PgConnectionError(`${prefix}: timed out; check --host/--port and firewalls`, target, { cause: error });
    case '3D000':
      return new DatabaseNotFoundError(database, target, { cause: error });
    case '28P01':
    case '28000':
      return new PgConnectionError(
        `${prefix}: authentication failed for user "${user ?? 'default'}"; set PGPASSWORD or add the password to ~/.pgpass`,
        target,
        { cause: error },
      );
    default: {
      const message = error instanceof Error ? error.message : String(error);
      if (/timeout/i.test(message)) {
        return new PgConnectionError(`${prefix}: timed out; check --host/--port and firewalls`, target, {
          cause: error,
        });
      }
      return new PgConnectionError(`${prefix}: ${message}`, target, { cause: error });
    }
  }
}
