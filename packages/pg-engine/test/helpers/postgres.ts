import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Connection settings for the test server, from PGHOST/PGPORT/PGUSER/PGPASSWORD (defaults: local trust auth). */
export function connectionConfig(database = 'postgres'): pg.ClientConfig {
  return {
    host: process.env.PGHOST ?? '127.0.0.1',
    port: Number(process.env.PGPORT ?? 5432),
    user: process.env.PGUSER ?? 'postgres',
    ...(process.env.PGPASSWORD === undefined ? {} : { password: process.env.PGPASSWORD }),
    database,
  };
}

/** Environment for psql/pg_dump child processes pointing at the same server. */
export function libpqEnvironment(): NodeJS.ProcessEnv {
  const config = connectionConfig();
  return {
    ...process.env,
    PGHOST: String(config.host),
    PGPORT: String(config.port),
    PGUSER: String(config.user),
  };
}

/** Opens a client, runs `work`, always closes it. */
export async function withClient<T>(database: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(connectionConfig(database));
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface TempDatabase {
  name: string;
  drop(): Promise<void>;
}

/** Creates `dbb_test_<random>` from template0; call drop() (or dropDatabase) when done. */
export async function createTempDatabase(prefix = 'dbb_test'): Promise<TempDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await withClient('postgres', (client) => client.query(`CREATE DATABASE ${name} TEMPLATE template0`));
  return { name, drop: () => dropDatabase(name) };
}

/** Drops a database, disconnecting anyone still using it. */
export async function dropDatabase(name: string): Promise<void> {
  await withClient('postgres', (client) =>
    client.query(`DROP DATABASE IF EXISTS "${name.replaceAll('"', '""')}" WITH (FORCE)`),
  );
}

/**
 * Creates cluster roles once, tolerating other test files doing the same at the same moment. Roles are
 * cluster-wide and shared between test files, so they are never dropped.
 */
export async function ensureRoles(names: string[]): Promise<void> {
  await withClient('postgres', async (client) => {
    for (const name of names) {
      await client.query(
        `DO $$BEGIN
           CREATE ROLE "${name.replaceAll('"', '""')}" NOLOGIN;
         EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
         END$$`,
      );
    }
  });
}
