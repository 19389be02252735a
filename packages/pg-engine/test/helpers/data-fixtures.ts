/**
 * Helpers for the data-path tests: throwaway databases, psql, archives in a temp directory, and independent
 * oracles (pg_dump -s, md5(string_agg(t::text ...)) per table) to compare a source with its restored copy.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ArchiveReader, ArchiveWriter, type ArchiveWriterOptions, type ConnectionOptions } from '@dbbackup/archive';
import pg from 'pg';
import { ENGINE_NAME } from '../../src/archive-layout.js';
import { backupDatabase, type PgBackupOptions } from '../../src/backup/backup-database.js';
import { pgDumpSchema } from './pg-dump.js';

const run = promisify(execFile);

export const connection: ConnectionOptions = {
  host: process.env.PGHOST ?? '127.0.0.1',
  port: Number(process.env.PGPORT ?? 5432),
  user: process.env.PGUSER ?? 'postgres',
};

const libpqEnv = () => ({
  ...process.env,
  PGHOST: connection.host,
  PGPORT: String(connection.port),
  PGUSER: connection.user,
});

export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}

export async function withClient<T>(database: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ ...connection, database });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createDatabase(prefix: string): Promise<string> {
  const name = uniqueName(prefix);
  await withClient('postgres', (client) =>
    client.query(`CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8'`),
  );
  return name;
}

export async function dropDatabase(name: string): Promise<void> {
  await withClient('postgres', (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

export async function databaseExists(name: string): Promise<boolean> {
  return withClient('postgres', async (client) => {
    const result = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    return result.rowCount === 1;
  });
}

/** Runs a SQL script with psql, stopping at the first error. */
export async function psql(database: string, script: { file?: string; sql?: string; cwd?: string }): Promise<void> {
  const args = ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', database];
  if (script.file) args.push('-f', script.file);
  if (script.sql) args.push('-c', script.sql);
  await run('psql', args, { env: libpqEnv(), cwd: script.cwd, maxBuffer: 64 * 1024 * 1024 });
}

export async function psqlStdin(database: string, sql: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = execFile(
      'psql',
      ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', database],
      { env: libpqEnv(), maxBuffer: 64 * 1024 * 1024 },
      (error) => (error ? reject(error) : resolve()),
    );
    child.stdin!.end(sql);
  });
}

export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pg-engine-test-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export const plainArchive: ArchiveWriterOptions = {
  engine: ENGINE_NAME,
  toolVersion: 'test',
  compression: { algorithm: 'zstd', level: 1 },
};

/** Backs a database up into a file archive and returns the path. */
export async function backupToFile(
  database: string,
  file: string,
  options: Partial<PgBackupOptions> & { archive?: ArchiveWriterOptions } = {},
) {
  const writer = await ArchiveWriter.createFile(file, options.archive ?? plainArchive);
  return backupDatabase({ connection, database, jobs: 2, ...options, writer });
}

export async function openArchive(file: string, keyProvider?: Parameters<typeof ArchiveReader.open>[1]) {
  return ArchiveReader.open(file, keyProvider);
}

export interface TableFingerprint {
  rows: number;
  md5: string | null;
}

/** Independent oracle: per table, count(*) and md5 of all rows as text, sorted. */
export async function tableFingerprints(database: string): Promise<Record<string, TableFingerprint>> {
  return withClient(database, async (client) => {
    const tables = await client.query<{ name: string }>(
      `SELECT format('%I.%I', n.nspname, c.relname) AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND n.nspname NOT LIKE 'pg\\_toast%' AND NOT c.relispartition AND c.relpersistence <> 't'
          AND (c.relkind <> 'm' OR c.relispopulated)
        ORDER BY 1`,
    );
    const result: Record<string, TableFingerprint> = {};
    for (const { name } of tables.rows) {
      const row = await client.query<{ rows: string; md5: string | null }>(
        `SELECT count(*)::text AS rows, md5(string_agg(t::text, E'\\n' ORDER BY t::text)) AS md5 FROM ${name} t`,
      );
      result[name] = { rows: Number(row.rows[0]!.rows), md5: row.rows[0]!.md5 };
    }
    return result;
  });
}

/** Sequence states (last_value, is_called). */
export async function sequenceStates(database: string): Promise<Record<string, string>> {
  return withClient(database, async (client) => {
    const sequences = await client.query<{ name: string }>(
      `SELECT format('%I.%I', schemaname, sequencename) AS name FROM pg_sequences ORDER BY 1`,
    );
    const result: Record<string, string> = {};
    for (const { name } of sequences.rows) {
      const row = await client.query<{ state: string }>(`SELECT last_value || '/' || is_called AS state FROM ${name}`);
      result[name] = row.rows[0]!.state;
    }
    return result;
  });
}

export async function matviewStates(database: string): Promise<Record<string, boolean>> {
  return withClient(database, async (client) => {
    const rows = await client.query<{ name: string; populated: boolean }>(
      `SELECT format('%I.%I', schemaname, matviewname) AS name, ispopulated AS populated FROM pg_matviews ORDER BY 1`,
    );
    return Object.fromEntries(rows.rows.map((row) => [row.name, row.populated]));
  });
}

export async function largeObjectFingerprints(database: string): Promise<Record<string, string>> {
  return withClient(database, async (client) => {
    const rows = await client.query<{ oid: string; md5: string }>(
      `SELECT m.oid::text AS oid, pg_get_userbyid(m.lomowner) || ':' || md5(lo_get(m.oid)) AS md5
         FROM pg_largeobject_metadata m ORDER BY m.oid`,
    );
    return Object.fromEntries(rows.rows.map((row) => [row.oid, row.md5]));
  });
}

/** Everything a restored copy must share with its source. */
export async function databaseFingerprint(database: string) {
  const [schema, tables, sequences, matviews, largeObjects] = await Promise.all([
    pgDumpSchema(database),
    tableFingerprints(database),
    sequenceStates(database),
    matviewStates(database),
    largeObjectFingerprints(database),
  ]);
  return { schema, tables, sequences, matviews, largeObjects };
}

/** relpersistence of every user table. */
export async function tablePersistence(database: string): Promise<Record<string, string>> {
  return withClient(database, async (client) => {
    const rows = await client.query<{ name: string; persistence: string }>(
      `SELECT format('%I.%I', n.nspname, c.relname) AS name, c.relpersistence AS persistence
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND n.nspname NOT LIKE 'pg\\_toast%' ORDER BY 1`,
    );
    return Object.fromEntries(rows.rows.map((row) => [row.name, row.persistence]));
  });
}
