/**
 * restore preview and restore diagnose through the built CLI, on real backups the CLI makes of throwaway PostgreSQL
 * and MariaDB databases (and on dumps made by pg_dump and mariadb-dump): what a backup holds, that an intact one
 * passes every check (with --deep, the right rows), and that a flipped byte, a cut file or a missing key are caught.
 * Every run passes --catalog in a temporary directory, so no test touches ~/.dbbackup.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  copyFileSync,
  mkdtempSync,
  openSync,
  readSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, createSampleDatabase, dropDatabase, pg, psql, uniqueName } from './backup-restore-fixtures.js';
import { type CliProcessResult, runBuiltCli } from './support/run-built-cli.js';

const workDirectory = mkdtempSync(join(tmpdir(), 'dbbackup-preview-diagnose-'));
const catalog = join(workDirectory, 'catalog.db');

const my = {
  host: process.env.MYSQL_HOST ?? '127.0.0.1',
  port: process.env.MYSQL_TCP_PORT ?? '3306',
  user: process.env.MYSQL_USER ?? 'root',
};
const mariadbFlags = ['-d', 'mariadb', '--host', my.host, '--port', my.port, '--user', my.user];

afterAll(() => {
  rmSync(workDirectory, { recursive: true, force: true });
});

/** The built CLI with the PostgreSQL test server's variables, a private catalog and no .dbbackup.conf. */
function cli(args: readonly string[]): CliProcessResult {
  return runBuiltCli([...args, '--catalog', catalog, '--no-config'], { env: cliEnv, cwd: workDirectory });
}

function cliJson<T = Record<string, unknown>>(args: readonly string[]): T {
  const result = cli([...args, '--format', 'json']);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as T;
}

function mariadb(sql: string, database?: string): string {
  const args = ['-h', my.host, '-P', my.port, '-u', my.user, '-N', '-B', '-e', sql];
  return execFileSync('mariadb', database ? [...args, database] : args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

interface ManifestMember {
  name: string;
  kind: string;
  offset: number;
  storedSize: number;
  table?: { schema: string; name: string };
}

function manifestMembers(path: string): ManifestMember[] {
  const manifest = JSON.parse(execFileSync('tar', ['-xOf', path, 'manifest.json'], { encoding: 'utf8' })) as {
    members: ManifestMember[];
  };
  return manifest.members;
}

function copyOf(path: string, name: string): string {
  const copy = join(mkdtempSync(join(workDirectory, 'copy-')), name);
  copyFileSync(path, copy);
  return copy;
}

function flipByte(path: string, position: number): void {
  const handle = openSync(path, 'r+');
  try {
    const byte = Buffer.alloc(1);
    readSync(handle, byte, 0, 1, position);
    byte[0] = byte[0]! ^ 0x01;
    writeSync(handle, byte, 0, 1, position);
  } finally {
    closeSync(handle);
  }
}

interface PreviewTable {
  schema: string;
  name: string;
  rows: number;
  parts: number;
  plain_bytes: number;
  stored_bytes: number;
}
interface PreviewDocument {
  kind: string;
  engine: string;
  server_version: string;
  database: string | null;
  created_at: string;
  encryption: { key_id: string; key: string } | null;
  tables: number;
  rows: number;
  databases: Array<{ name: string | null; tables: PreviewTable[]; rows: number }>;
}
interface DiagnoseDocument {
  ok: boolean;
  incomplete: boolean;
  deep: boolean;
  damaged: string[];
  damaged_members: Array<{ member: string; table: string | null; problems: string[] }>;
  checks: Array<{ check: string; member: string | null; table: string | null; status: string; detail: string }>;
}

/** table name → rows, from a preview document (one database). */
function previewRows(preview: PreviewDocument, database = 0): Record<string, number> {
  return Object.fromEntries(preview.databases[database]!.tables.map((table) => [table.name, table.rows]));
}

/**
 * The checks every engine's archive must pass and fail the same way: diagnose ok (and --deep recounting the
 * source's rows), a flipped byte in a data member named in one line with exit 2, a truncated copy incomplete.
 */
function diagnoseScenarios(label: string, state: () => { path: string; rows: Record<string, number> }): void {
  describe(`restore diagnose on a ${label} backup`, () => {
    it('passes every check of an intact backup', () => {
      const report = cliJson<DiagnoseDocument>(['restore', 'diagnose', state().path]);
      expect(report).toMatchObject({ ok: true, incomplete: false, damaged: [] });
      expect(report.checks.slice(0, 2).map((check) => [check.check, check.status])).toEqual([
        ['header', 'ok'],
        ['manifest', 'ok'],
      ]);
      expect(report.checks.every((check) => check.status === 'ok')).toBe(true);
      const text = cli(['restore', 'diagnose', state().path]);
      expect(text.status).toBe(0);
      expect(text.stdout).toMatch(/^result +ok: \d+ members passed every check$/m);
    });

    it('--deep recounts the rows the source holds', () => {
      const report = cliJson<DiagnoseDocument>(['restore', 'diagnose', state().path, '--deep']);
      expect(report).toMatchObject({ ok: true, deep: true });
      const counted: Record<string, number> = {};
      for (const check of report.checks.filter((candidate) => candidate.check === 'rows')) {
        expect(check.status).toBe('ok');
        const table = check
          .table!.split('.')
          .pop()!
          .replace(/ part \d+$/, '');
        counted[table] = (counted[table] ?? 0) + Number(check.detail.match(/^([\d,]+) rows/)![1]!.replaceAll(',', ''));
      }
      const withData = Object.fromEntries(Object.entries(state().rows).filter(([, rows]) => rows > 0));
      expect(counted).toEqual(withData);
      expect(report.checks.filter((check) => check.check === 'row-checksum').every((c) => c.status === 'ok')).toBe(
        true,
      );
    });

    it('one changed byte in a data member: exit 2, the member and its table named in one line', () => {
      const copy = copyOf(state().path, 'damaged.dbb.tar');
      const members = manifestMembers(copy);
      const data = members.filter((member) => member.kind === 'data').sort((a, b) => b.storedSize - a.storedSize)[0]!;
      flipByte(copy, data.offset + Math.floor(data.storedSize / 2));
      const result = cli(['restore', 'diagnose', copy]);
      expect(result.status).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain(`is damaged: ${data.name} (${data.table!.schema}.${data.table!.name}`);
      expect(result.stderr).toContain(`(1 of ${members.length} members damaged)`);
      expect(result.stdout).toMatch(new RegExp(`^${data.name.replaceAll('.', '\\.')} .* sha256 +failed`, 'm'));

      const json = cli(['restore', 'diagnose', copy, '--format', 'json']);
      expect(json.status).toBe(2);
      const report = JSON.parse(json.stdout) as DiagnoseDocument;
      expect(report.damaged).toEqual([data.name]);
      expect(report.damaged_members[0]?.table).toContain(`${data.table!.schema}.${data.table!.name}`);
    });

    it('a truncated copy is incomplete: header ok, manifest missing', () => {
      const copy = copyOf(state().path, 'cut.dbb.tar');
      const data = manifestMembers(copy).find((member) => member.kind === 'data')!;
      truncateSync(copy, data.offset + Math.floor(data.storedSize / 2));
      const result = cli(['restore', 'diagnose', copy, '--format', 'json']);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/^dbbackup: backup .* is incomplete: manifest missing: .*take a new backup\n$/);
      const report = JSON.parse(result.stdout) as DiagnoseDocument;
      expect(report).toMatchObject({ ok: false, incomplete: true });
      expect(report.checks.map((check) => [check.check, check.status])).toEqual([
        ['header', 'ok'],
        ['manifest', 'failed'],
      ]);
    });
  });
}

describe('PostgreSQL', () => {
  const source = uniqueName('dbb_preview_pg');
  const second = uniqueName('dbb_preview_pg2');
  const backupDir = join(workDirectory, 'pg-backups');
  const keyFile = join(workDirectory, 'preview.key');
  const state = { path: '', rows: {} as Record<string, number> };
  let encryptedPath: string;

  beforeAll(() => {
    createSampleDatabase(source);
    // 400,000 rows of ~100 bytes: more than one 32 MiB part, so the table is split into several members.
    psql(
      source,
      'CREATE TABLE big (id int, filler text); INSERT INTO big SELECT g, repeat(md5(g::text), 3) FROM generate_series(1, 400000) g;',
    );
    psql('postgres', `CREATE DATABASE "${second}"`);
    psql(
      second,
      'CREATE TABLE notes (id int, body text); INSERT INTO notes SELECT g, md5(g::text) FROM generate_series(1, 250) g;',
    );
    for (const table of ['users', 'payments', 'empty_table', 'big']) {
      state.rows[table] = Number(psql(source, `SELECT count(*) FROM ${table}`));
    }
    state.path = cliJson<{ path: string }>([
      'backup',
      'single',
      source,
      '-d',
      'postgres',
      '--backup-dir',
      backupDir,
    ]).path;
    writeFileSync(keyFile, randomBytes(32));
    chmodSync(keyFile, 0o600);
    encryptedPath = cliJson<{ path: string }>([
      'backup',
      'single',
      second,
      '-d',
      'postgres',
      '--backup-dir',
      backupDir,
      '--encrypt',
      '--encryption-key-file',
      keyFile,
    ]).path;
  });

  afterAll(() => {
    dropDatabase(source);
    dropDatabase(second);
  });

  it('restore preview lists every table with the rows the source holds; a split table sums its parts', () => {
    const preview = cliJson<PreviewDocument>(['restore', 'preview', state.path]);
    expect(preview).toMatchObject({ kind: 'single', engine: 'postgresql', database: source, encryption: null });
    expect(preview.server_version).toBe(psql(source, 'SHOW server_version').split(' ')[0]);
    expect(previewRows(preview)).toEqual(state.rows);
    expect(preview.rows).toBe(Object.values(state.rows).reduce((sum, rows) => sum + rows, 0));
    const big = preview.databases[0]!.tables.find((table) => table.name === 'big')!;
    const bigMembers = manifestMembers(state.path).filter((member) => member.table?.name === 'big');
    expect(bigMembers.length).toBeGreaterThan(1);
    expect(big.parts).toBe(bigMembers.length);
    expect(big.stored_bytes).toBe(bigMembers.reduce((sum, member) => sum + member.storedSize, 0));
    expect(big.plain_bytes).toBeGreaterThan(32 * 1024 * 1024);
    // The empty table has no data member but is listed all the same.
    expect(preview.databases[0]!.tables.find((table) => table.name === 'empty_table')).toMatchObject({
      rows: 0,
      parts: 0,
    });

    const text = cli(['restore', 'preview', state.path]);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`^contents +database ${source}$`, 'm'));
    expect(text.stdout).toMatch(/^encryption +none$/m);
    expect(text.stdout).toMatch(/^public +big +400,000 +\d+ +[\d.]+ MB +[\d.]+ [kM]B$/m);
    expect(text.stdout).toMatch(/^public +users +3,000 +1 /m);
  });

  it('restore preview of a sample backup says it is a sample', () => {
    const sample = cliJson<{ path: string }>([
      'backup',
      'sample',
      source,
      '-d',
      'postgres',
      '--backup-dir',
      backupDir,
      '--sample-strategy',
      'rows',
      '--sample-value',
      '100',
    ]);
    const preview = cliJson<PreviewDocument>(['restore', 'preview', sample.path]);
    expect(preview).toMatchObject({ kind: 'sample', database: source });
    expect(previewRows(preview)).toMatchObject({ payments: 100, big: 100, empty_table: 0 });
    expect(cli(['restore', 'preview', sample.path]).stdout).toMatch(
      /^contents +sample of database .* \(100 rows of each table\)$/m,
    );
  });

  it('restore preview of a cluster backup groups the tables by database', () => {
    const cluster = cliJson<{ path: string }>([
      'backup',
      'cluster',
      '-d',
      'postgres',
      '--databases',
      `${source},${second}`,
      '--backup-dir',
      backupDir,
    ]);
    const preview = cliJson<PreviewDocument>(['restore', 'preview', cluster.path]);
    expect(preview).toMatchObject({ kind: 'cluster', database: null });
    const byName: Record<string, PreviewDocument['databases'][number]> = Object.fromEntries(
      preview.databases.map((database) => [database.name, database]),
    );
    expect(Object.keys(byName).sort()).toEqual([source, second].sort());
    expect(Object.fromEntries(byName[source]!.tables.map((table) => [table.name, table.rows]))).toEqual(state.rows);
    expect(byName[second]!.tables.map((table) => [table.name, table.rows])).toEqual([['notes', 250]]);
    const text = cli(['restore', 'preview', cluster.path]).stdout;
    expect(text).toContain(`database ${second}: 1 table, 250 rows`);
    expect(cliJson<DiagnoseDocument>(['restore', 'diagnose', cluster.path]).ok).toBe(true);
  });

  it('an encrypted backup without its key: preview fails in one line, diagnose passes the header and fails the manifest', () => {
    const preview = cli(['restore', 'preview', encryptedPath]);
    expect(preview.status).toBe(2);
    expect(preview.stderr).toMatch(/^dbbackup: this backup is encrypted.*--encryption-key-file FILE.*\n$/);
    expect(preview.stdout).toBe('');

    const diagnose = cli(['restore', 'diagnose', encryptedPath, '--format', 'json']);
    expect(diagnose.status).toBe(2);
    const report = JSON.parse(diagnose.stdout) as DiagnoseDocument;
    expect(report.checks.map((check) => [check.check, check.status])).toEqual([
      ['header', 'ok'],
      ['manifest', 'failed'],
    ]);
    expect(report.checks[1]!.detail).toContain('--encryption-key-file');
    expect(diagnose.stderr).toMatch(/^dbbackup: backup .*: the manifest check failed: .*--encryption-key-file.*\n$/);
  });

  it('an encrypted backup with its key: preview shows the key id, diagnose checks the GCM tags', () => {
    const preview = cliJson<PreviewDocument>(['restore', 'preview', encryptedPath, '--encryption-key-file', keyFile]);
    expect(preview.encryption).toMatchObject({ key: 'key file' });
    expect(previewRows(preview)).toEqual({ notes: 250 });
    const report = cliJson<DiagnoseDocument>([
      'restore',
      'diagnose',
      encryptedPath,
      '--encryption-key-file',
      keyFile,
      '--deep',
    ]);
    expect(report.ok).toBe(true);
    expect(report.checks.filter((check) => check.check === 'decryption').length).toBeGreaterThan(0);
  });

  diagnoseScenarios('PostgreSQL', () => state);

  it('restore diagnose reads a pg_dump -Fc file and catches a truncated copy', () => {
    const dump = join(workDirectory, 'source.dump');
    execFileSync('pg_dump', ['-h', pg.host, '-p', pg.port, '-U', pg.user, '-d', source, '-Fc', '-f', dump]);
    const report = cliJson<{ type: string; ok: boolean; signature: string; toc_entries: number; database: string }>([
      'restore',
      'diagnose',
      dump,
    ]);
    expect(report).toMatchObject({ type: 'pg-custom', ok: true, signature: 'PGDMP', database: source });
    expect(report.toc_entries).toBeGreaterThan(5);

    const cut = copyOf(dump, 'cut.dump');
    truncateSync(cut, Math.floor(statSync(dump).size / 2));
    const result = cli(['restore', 'diagnose', cut]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^dbbackup: dump .*cut\.dump is damaged: .*(truncated|damaged).*\n$/);
    expect(result.stdout).toMatch(/^data +failed /m);
  });
});

describe('MariaDB', () => {
  const source = uniqueName('dbb_preview_my');
  const backupDir = join(workDirectory, 'my-backups');
  const state = { path: '', rows: {} as Record<string, number> };

  beforeAll(() => {
    mariadb(`CREATE DATABASE \`${source}\` CHARACTER SET utf8mb4`);
    mariadb(
      `SET SESSION max_recursive_iterations = 10000;
       CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(100), note TEXT);
       INSERT INTO customers WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 4000)
         SELECT n, CONCAT('customer ', n), IF(n % 3 = 0, NULL, REPEAT('ü', n % 20)) FROM g;
       CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id INT, amount DECIMAL(10,2));
       INSERT INTO orders WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 1200)
         SELECT n, 1 + n % 4000, n * 0.5 FROM g;
       CREATE TABLE nothing (id INT);`,
      source,
    );
    for (const table of ['customers', 'orders', 'nothing']) {
      state.rows[table] = Number(mariadb(`SELECT COUNT(*) FROM \`${table}\``, source));
    }
    state.path = cliJson<{ path: string }>([
      'backup',
      'single',
      source,
      ...mariadbFlags,
      '--backup-dir',
      backupDir,
    ]).path;
  });

  afterAll(() => {
    mariadb(`DROP DATABASE IF EXISTS \`${source}\``);
  });

  it('restore preview lists every table with the rows the source holds', () => {
    const preview = cliJson<PreviewDocument>(['restore', 'preview', state.path]);
    expect(preview).toMatchObject({ kind: 'single', engine: 'mariadb', database: source });
    expect(preview.server_version).toContain(mariadb('SELECT VERSION()').split('-')[0]!);
    expect(previewRows(preview)).toEqual(state.rows);
  });

  diagnoseScenarios('MariaDB', () => state);

  it("restore diagnose reads dbbackup's SQL script (its completion line) and a mariadb-dump script", () => {
    const script = cliJson<{ path: string }>([
      'backup',
      'single',
      source,
      ...mariadbFlags,
      '--backup-dir',
      backupDir,
      '--dump-format',
      'sql',
    ]);
    const report = cliJson<{ type: string; ok: boolean; producer: string; compression: string; checks: unknown[] }>([
      'restore',
      'diagnose',
      script.path,
    ]);
    expect(report).toMatchObject({ type: 'sql', ok: true, producer: 'dbbackup', compression: 'zstd' });
    expect(JSON.stringify(report.checks)).toContain('-- dbbackup SQL script complete');

    const dump = join(workDirectory, 'mariadb-dump.sql');
    const output = openSync(dump, 'w');
    try {
      execFileSync('mariadb-dump', ['-h', my.host, '-P', my.port, '-u', my.user, source], {
        stdio: ['ignore', output, 'pipe'],
      });
    } finally {
      closeSync(output);
    }
    expect(cliJson(['restore', 'diagnose', dump])).toMatchObject({
      ok: true,
      producer: 'mariadb-dump',
      database: source,
    });
    const cut = copyOf(dump, 'cut.sql');
    truncateSync(cut, statSync(dump).size - 300);
    const result = cli(['restore', 'diagnose', cut]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^dbbackup: dump .* is damaged: no completion line .*-- Dump completed.*\n$/);
  });
});

describe('help', () => {
  it.each([['preview'], ['diagnose']])('restore %s --help shows Examples', (command) => {
    const result = cli(['restore', command, '--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Examples:');
  });
});
