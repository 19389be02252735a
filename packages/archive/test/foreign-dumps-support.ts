/**
 * Real dumps for the foreign-dumps tests: a throwaway PostgreSQL database dumped with the installed pg_dump in
 * every format, and a throwaway MariaDB database dumped with mariadb-dump. Databases are dropped at once.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, copyFileSync, openSync, readSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const pg = {
  host: process.env.PGHOST ?? '127.0.0.1',
  port: process.env.PGPORT ?? '5432',
  user: process.env.PGUSER ?? 'postgres',
};
export const my = {
  host: process.env.MYSQL_HOST ?? '127.0.0.1',
  port: process.env.MYSQL_TCP_PORT ?? '3306',
  user: process.env.MYSQL_USER ?? 'root',
};

/** Whether a command runs (`--version`); tests that need it are skipped with a message naming it otherwise. */
export function toolAvailable(command: string): boolean {
  const result = spawnSync(command, ['--version'], { stdio: 'ignore' });
  return result.error === undefined && result.status === 0;
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}

const pgArgs = () => ['-h', pg.host, '-p', pg.port, '-U', pg.user];

export function psql(database: string, sql: string): string {
  return execFileSync('psql', [...pgArgs(), '-d', database, '-X', '-v', 'ON_ERROR_STOP=1', '-Atqc', sql], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

export function pgDump(database: string, args: readonly string[]): void {
  execFileSync('pg_dump', [...pgArgs(), '-d', database, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A database with a 20,000-row table, an empty table, a table in another schema and a large object. */
export function createPgSource(name: string): void {
  psql('postgres', `CREATE DATABASE "${name}"`);
  psql(
    name,
    `CREATE TABLE items (id int PRIMARY KEY, label text, price numeric(10,2));
     INSERT INTO items SELECT g, 'item ' || g || repeat('x', g % 37), g * 0.25 FROM generate_series(1, 20000) g;
     CREATE TABLE empty_table (id int);
     CREATE SCHEMA sales;
     CREATE TABLE sales.orders (id bigint, item_id int, note text);
     INSERT INTO sales.orders SELECT g, 1 + g % 20000, E'note\\t' || g FROM generate_series(1, 3000) g;
     SELECT lo_from_bytea(0, convert_to(repeat('large object ', 500), 'UTF8'));`,
  );
}

export function dropPgDatabase(name: string): void {
  psql('postgres', `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

export function mariadb(sql: string, database?: string): string {
  const args = ['-h', my.host, '-P', my.port, '-u', my.user, '-N', '-B', '-e', sql];
  return execFileSync('mariadb', database ? [...args, database] : args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

export function createMariadbSource(name: string): void {
  mariadb(`CREATE DATABASE \`${name}\``);
  mariadb(
    `CREATE TABLE people (id INT PRIMARY KEY, name VARCHAR(100), note TEXT);
     INSERT INTO people WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 900)
       SELECT n, CONCAT('person ', n), REPEAT('z', n % 50) FROM g;`,
    name,
  );
}

export function mariadbDump(database: string, file: string): void {
  const output = openSync(file, 'w');
  try {
    execFileSync('mariadb-dump', ['-h', my.host, '-P', my.port, '-u', my.user, database], {
      stdio: ['ignore', output, 'pipe'],
    });
  } finally {
    closeSync(output);
  }
}

/** `command < input > output` for compressors. */
export function compressFile(command: string, args: readonly string[], input: string, output: string): void {
  const inputHandle = openSync(input, 'r');
  const outputHandle = openSync(output, 'w');
  try {
    execFileSync(command, args, { stdio: [inputHandle, outputHandle, 'pipe'] });
  } finally {
    closeSync(inputHandle);
    closeSync(outputHandle);
  }
}

/** A copy of `file` in `directory` cut to `length` bytes. */
export function truncatedCopy(file: string, directory: string, name: string, length: number): string {
  const copy = join(directory, name);
  copyFileSync(file, copy);
  truncateSync(copy, length);
  return copy;
}

/** A copy of `file` with the byte at `position` inverted. */
export function flippedCopy(file: string, directory: string, name: string, position: number): string {
  const copy = join(directory, name);
  copyFileSync(file, copy);
  const handle = openSync(copy, 'r+');
  try {
    const byte = Buffer.alloc(1);
    readSync(handle, byte, 0, 1, position);
    byte[0] = byte[0]! ^ 0xff;
    writeSync(handle, byte, 0, 1, position);
  } finally {
    closeSync(handle);
  }
  return copy;
}
