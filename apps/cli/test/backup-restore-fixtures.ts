/**
 * Shared by the backup / restore / verify-backup process tests: a real PostgreSQL (PGHOST/PGPORT/PGUSER, defaults
 * 127.0.0.1:5432 postgres), throwaway databases created and dropped with psql, and the built CLI run against it.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { builtCli, type CliProcessResult, runBuiltCli, throwawayCatalog } from './support/run-built-cli.js';

export const pg = {
  host: process.env.PGHOST ?? '127.0.0.1',
  port: process.env.PGPORT ?? '5432',
  user: process.env.PGUSER ?? 'postgres',
};

/** The connection environment handed to the CLI (runBuiltCli strips every PG* variable of this process). */
export const cliEnv: Record<string, string> = { PGHOST: pg.host, PGPORT: pg.port, PGUSER: pg.user };

export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}

/** Runs SQL with psql and returns its unaligned, tuples-only output (trimmed). */
export function psql(database: string, sql: string): string {
  return execFileSync(
    'psql',
    ['-h', pg.host, '-p', pg.port, '-U', pg.user, '-d', database, '-X', '-v', 'ON_ERROR_STOP=1', '-Atqc', sql],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  ).trim();
}

export function createDatabase(name: string): void {
  psql('postgres', `CREATE DATABASE "${name}"`);
}

export function dropDatabase(name: string): void {
  psql('postgres', `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

export function databaseExists(name: string): boolean {
  return psql('postgres', `SELECT count(*) FROM pg_database WHERE datname = '${name}'`) === '1';
}

/** An order-independent fingerprint of a table's rows. */
export function tableFingerprint(database: string, table: string): string {
  return psql(
    database,
    `SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '') FROM ${table} t`,
  );
}

/** A small database with a few column types, NULLs, non-ASCII text, a foreign key and an empty table. */
export function createSampleDatabase(name: string): void {
  createDatabase(name);
  psql(
    name,
    `CREATE TABLE users (id serial PRIMARY KEY, name text NOT NULL, email text, created timestamptz NOT NULL DEFAULT '2024-01-02 03:04:05+00', score double precision);
     INSERT INTO users (name, email, score)
       SELECT 'user ' || g || CASE WHEN g % 7 = 0 THEN ' Zoë ☃' ELSE '' END,
              CASE WHEN g % 5 = 0 THEN NULL ELSE 'u' || g || '@example.com' END, g / 3.0
         FROM generate_series(1, 3000) g;
     CREATE TABLE payments (id bigint PRIMARY KEY, user_id int NOT NULL REFERENCES users(id), amount numeric(12,2), memo text);
     INSERT INTO payments SELECT g, 1 + g % 3000, g * 1.25, E'line\\nbreak\\ttab ' || g FROM generate_series(1, 2000) g;
     CREATE INDEX payments_user ON payments (user_id);
     CREATE TABLE empty_table (id int, note text);`,
  );
}

export const SAMPLE_TABLES = ['users', 'payments', 'empty_table'] as const;

/** Every table's fingerprint (default: the tables of createSampleDatabase). */
export function sampleFingerprints(
  database: string,
  tables: readonly string[] = SAMPLE_TABLES,
): Record<string, string> {
  return Object.fromEntries(tables.map((table) => [table, tableFingerprint(database, table)]));
}

/** parent ← child ← grandchild: each row references one row of the table above, through a foreign key. */
export const FOREIGN_KEY_TABLES = ['parent', 'child', 'grandchild'] as const;

/** A database of FOREIGN_KEY_TABLES (200, 1000 and 3000 rows), references spread over the parents. */
export function createForeignKeyDatabase(name: string): void {
  createDatabase(name);
  psql(
    name,
    `CREATE TABLE parent (id int PRIMARY KEY, name text NOT NULL);
     CREATE TABLE child (id int PRIMARY KEY, parent_id int NOT NULL REFERENCES parent (id), note text);
     CREATE TABLE grandchild (id bigint PRIMARY KEY, child_id int NOT NULL REFERENCES child (id), amount numeric(10,2));
     INSERT INTO parent SELECT g, 'parent ' || g FROM generate_series(1, 200) g;
     INSERT INTO child SELECT g, 1 + (g * 7) % 200, 'child ' || g FROM generate_series(1, 1000) g;
     INSERT INTO grandchild SELECT g, 1 + (g * 13) % 1000, g * 1.5 FROM generate_series(1, 3000) g;`,
  );
}

/** Row count per table of FOREIGN_KEY_TABLES. */
export function foreignKeyRowCounts(database: string): Record<string, number> {
  return Object.fromEntries(
    FOREIGN_KEY_TABLES.map((table) => [table, Number(psql(database, `SELECT count(*) FROM ${table}`))]),
  );
}

/** Rows whose foreign key points at no row (0 when every reference holds), and the FK constraints present. */
export function foreignKeyState(database: string): { orphans: number; constraints: number } {
  const orphans = Number(
    psql(
      database,
      `SELECT (SELECT count(*) FROM child c WHERE NOT EXISTS (SELECT 1 FROM parent p WHERE p.id = c.parent_id))
            + (SELECT count(*) FROM grandchild g WHERE NOT EXISTS (SELECT 1 FROM child c WHERE c.id = g.child_id))`,
    ),
  );
  const constraints = Number(psql(database, `SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND convalidated`));
  return { orphans, constraints };
}

/** The keys of backup single's JSON document; the other backup commands add theirs. */
export const BACKUP_REPORT_KEYS = [
  'path',
  'bytes',
  'sha256',
  'database',
  'tables',
  'rows',
  'duration_ms',
  'engine',
  'server_version',
  'compression',
  'encrypted',
  'warnings',
] as const;

/**
 * Runs the built CLI with the test server's connection variables (plus `env`), in a fresh working directory (so no
 * .dbbackup.conf from elsewhere is read); usable from beforeAll too.
 */
export function dbbackup(args: readonly string[], env: Record<string, string> = {}): CliProcessResult {
  return runBuiltCli(args, { env: { ...cliEnv, ...env }, cwd: scratchDirectory() });
}

/** Runs a command with `--format json` that must succeed silently (stderr empty, exit 0); returns its document. */
export function dbbackupJson(args: readonly string[], env: Record<string, string> = {}): Record<string, unknown> {
  const result = dbbackup([...args, '--format', 'json'], env);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

/** Starts the built CLI without waiting (for interruption tests). */
export function spawnDbbackup(args: readonly string[]): ChildProcess {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(DBBACKUP_|PG|MYSQL_)/.test(name)),
  );
  return spawn(process.execPath, [builtCli, ...args], {
    env: { ...inherited, ...cliEnv, DBBACKUP_NO_CONFIG: '1', DBBACKUP_CATALOG: throwawayCatalog() },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** The archive files (final and .partial) in a directory. */
export function archiveFiles(directory: string): string[] {
  try {
    return readdirSync(directory).sort();
  } catch {
    return [];
  }
}

const scratchDirectories: string[] = [];

/** A fresh directory usable from beforeAll (emptyDirectory() only works inside a test); see removeScratchDirectories. */
export function scratchDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 'dbbackup-cli-'));
  scratchDirectories.push(directory);
  return directory;
}

/** Call from afterAll. */
export function removeScratchDirectories(): void {
  for (const directory of scratchDirectories.splice(0)) rmSync(directory, { recursive: true, force: true });
}
