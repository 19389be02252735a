/**
 * `dbbackup catalog ...` through the built CLI, on real backups made by the CLI itself: PostgreSQL (plain and
 * encrypted) and MariaDB into a temporary directory, always with a temporary --catalog (never ~/.dbbackup).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, createSampleDatabase, dropDatabase, uniqueName } from './backup-restore-fixtures.js';
import { type CliProcessResult, runBuiltCli } from './support/run-built-cli.js';

const my = {
  host: process.env.MYSQL_HOST ?? '127.0.0.1',
  port: process.env.MYSQL_TCP_PORT ?? '3306',
  user: process.env.MYSQL_USER ?? 'root',
};

function mariadb(sql: string, database?: string): void {
  const args = ['-h', my.host, '-P', my.port, '-u', my.user, '-e', sql];
  execFileSync('mariadb', database ? [...args, database] : args, { stdio: ['ignore', 'pipe', 'pipe'] });
}

interface ListedBackup {
  id: number;
  database: string | null;
  engine: string;
  host: string | null;
  location: string;
  status: string;
  encrypted: boolean;
  tables: number | null;
  rows: number | null;
  verification: { result: string; kind: string } | null;
}

describe('dbbackup catalog', () => {
  const pgDatabase = uniqueName('dbb_cli_cat_pg');
  const myDatabase = uniqueName('dbb_cli_cat_my');
  const work = mkdtempSync(join(tmpdir(), 'dbbackup-cli-catalog-'));
  const backupDir = join(work, 'backups');
  const catalogPath = join(work, 'state', 'catalog.db');
  const keyFile = join(work, 'master.key');
  /** The working directory of every run (empty: no .dbbackup.conf; --no-config keeps it so). */
  const cwd = join(work, 'cwd');
  const paths = { pg: '', pgEncrypted: '', mariadb: '' };

  /** The CLI with the test's catalog and no .dbbackup.conf. */
  function dbbackup(args: readonly string[], env: Record<string, string> = {}): CliProcessResult {
    return runBuiltCli([...args, '--catalog', catalogPath, '--no-config'], { cwd, env: { ...cliEnv, ...env } });
  }

  function json<T>(result: CliProcessResult): T {
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    return JSON.parse(result.stdout) as T;
  }

  function list(): ListedBackup[] {
    return json<{ backups: ListedBackup[] }>(dbbackup(['catalog', 'list', '--format', 'json'])).backups;
  }

  beforeAll(() => {
    mkdirSync(cwd);
    createSampleDatabase(pgDatabase);
    mariadb(`CREATE DATABASE \`${myDatabase}\``);
    mariadb(
      'CREATE TABLE t (id INT PRIMARY KEY, v TEXT); INSERT INTO t VALUES (1, "a"), (2, "b"), (3, "c");',
      myDatabase,
    );
    writeFileSync(keyFile, randomBytes(32));
    chmodSync(keyFile, 0o600);
    const backup = (extra: string[], directory = backupDir) =>
      json<{ path: string }>(
        dbbackup(['backup', 'single', '--backup-dir', directory, '--format', 'json', '--jobs', '2', ...extra]),
      ).path;
    paths.pg = backup([pgDatabase, '-d', 'postgres']);
    // A subdirectory (sync is recursive): two backups of one database within the same second share a file name.
    paths.pgEncrypted = backup(
      [pgDatabase, '-d', 'postgres', '--encrypt', '--encryption-key-file', keyFile],
      join(backupDir, 'encrypted'),
    );
    paths.mariadb = backup([myDatabase, '-d', 'mariadb', '--host', my.host, '--port', my.port, '--user', my.user]);
    expect(dbbackup(['verify-backup', paths.pg]).status).toBe(0);
  });

  afterAll(() => {
    dropDatabase(pgDatabase);
    mariadb(`DROP DATABASE IF EXISTS \`${myDatabase}\``);
    rmSync(work, { recursive: true, force: true });
  });

  it('syncs a directory into a new catalog, and fully with the key', () => {
    rmSync(join(work, 'state'), { recursive: true, force: true });
    const first = dbbackup(['catalog', 'sync', backupDir]);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/added\s+3\n/);
    expect(first.stdout).toContain(`${paths.pgEncrypted}: encrypted: pass --encryption-key-file`);
    const encrypted = list().find((backup) => backup.location === paths.pgEncrypted);
    expect(encrypted).toMatchObject({ encrypted: true, tables: null, rows: null });

    const keyed = json<{ added: number; updated: number; notes: string[] }>(
      dbbackup(['catalog', 'sync', backupDir, '--encryption-key-file', keyFile, '--format', 'json']),
    );
    expect(keyed).toMatchObject({ added: 0, updated: 3, notes: [] });
    const backups = list();
    expect(backups.map((backup) => backup.location).sort()).toEqual(Object.values(paths).sort());
    // tables counts the tables with data: the sample's empty_table has no data member.
    expect(backups.find((backup) => backup.location === paths.pgEncrypted)).toMatchObject({
      database: pgDatabase,
      engine: 'postgresql',
      encrypted: true,
      tables: 2,
      rows: 5000,
    });
    expect(backups.find((backup) => backup.location === paths.mariadb)).toMatchObject({
      database: myDatabase,
      engine: 'mariadb',
      host: my.host,
      tables: 1,
      rows: 3,
    });
    expect(backups.find((backup) => backup.location === paths.pg)?.verification).toMatchObject({
      result: 'passed',
      kind: 'verify',
    });
  });

  it('lists, filters and limits, as a table and as JSON', () => {
    const table = dbbackup(['catalog', 'list']);
    expect(table.status).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+DATABASE\s+ENGINE\s+HOST\s+KIND\s+STARTED \(UTC\)/);
    expect(table.stdout).toContain(basename(paths.mariadb));
    const limited = json<{ backups: ListedBackup[] }>(
      dbbackup(['catalog', 'list', '--database', pgDatabase, '--limit', '1', '--format', 'json']),
    ).backups;
    expect(limited.map((backup) => backup.location)).toEqual([paths.pgEncrypted]);
    expect(dbbackup(['catalog', 'list', '--database', 'nothing_here']).stdout).toMatch(/^no backups in the catalog/);
    expect(dbbackup(['catalog', 'list', '--limit', 'lots']).status).toBe(2);
  });

  it('prints stats per database and engine', () => {
    const stats = json<Record<string, unknown>>(dbbackup(['catalog', 'stats', '--format', 'json']));
    expect(stats).toMatchObject({ backups: 3, successful: 3, failed: 0, running: 0, success_rate: 1 });
    expect(stats.per_engine).toEqual([
      expect.objectContaining({ engine: 'mariadb', backups: 1 }),
      expect.objectContaining({ engine: 'postgresql', backups: 2 }),
    ]);
    const table = dbbackup(['catalog', 'stats']);
    expect(table.stdout).toMatch(/success rate\s+100\.0%/);
  });

  it('reports gaps, and "no gaps" with exit 0 when there are none', () => {
    const none = dbbackup(['catalog', 'gaps', '--interval', '7d']);
    expect(none.status).toBe(0);
    expect(none.stdout).toBe('no gaps: every database had a successful backup at least every 7d\n');
    const gaps = json<{ gaps: Array<{ database: string; reason: string }> }>(
      dbbackup(['catalog', 'gaps', '--interval', '1ms', '--database', myDatabase, '--format', 'json']),
    ).gaps;
    expect(gaps).toEqual([expect.objectContaining({ database: myDatabase, reason: 'since-last-success' })]);
    const bad = dbbackup(['catalog', 'gaps', '--interval', 'daily']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe(
      "dbbackup: invalid --interval 'daily': expected a duration such as 24h, 26h, 90m, 7d or 1d12h\n",
    );
  });

  it('searches by database and time window (ISO or a duration ago)', () => {
    const recent = json<{ backups: ListedBackup[] }>(
      dbbackup(['catalog', 'search', '--database', pgDatabase, '--after', '1h', '--format', 'json']),
    ).backups;
    expect(recent.map((backup) => backup.location).sort()).toEqual([paths.pg, paths.pgEncrypted].sort());
    const old = dbbackup(['catalog', 'search', '--database', pgDatabase, '--before', '2020-01-01']);
    expect(old.stdout).toBe(`no backups of database ${pgDatabase} before 2020-01-01 00:00:00 (UTC)\n`);
    expect(dbbackup(['catalog', 'search', '--after', 'last tuesday']).status).toBe(2);
  });

  it('shows one backup by path or id, with its verification history', () => {
    const byPath = json<{ backup: ListedBackup; verifications: Array<{ kind: string }> }>(
      dbbackup(['catalog', 'info', paths.pg, '--format', 'json']),
    );
    expect(byPath.backup.location).toBe(paths.pg);
    expect(byPath.verifications).toEqual([expect.objectContaining({ kind: 'verify', result: 'passed' })]);
    const byId = dbbackup(['catalog', 'info', String(byPath.backup.id)]);
    expect(byId.stdout).toMatch(/verified\s+passed \(verify, /);
    expect(byId.stdout).toContain('verifications:');
    const missing = dbbackup(['catalog', 'info', '999']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^dbbackup: the catalog .* has no backup with id 999; /);
  });

  it('exports CSV, JSON and HTML with its own --format, to stdout or a file', () => {
    const csv = dbbackup(['catalog', 'export', '--format', 'csv']);
    expect(csv.status).toBe(0);
    const lines = csv.stdout.split('\r\n');
    expect(lines[0]).toMatch(/^id,database,engine,host,kind,format,status,started_at,/);
    expect(lines).toHaveLength(5); // header, 3 backups, and the empty string after the last CRLF

    const exported = JSON.parse(dbbackup(['catalog', 'export', '--format', 'json']).stdout) as { backups: unknown[] };
    expect(exported.backups).toHaveLength(3);

    const htmlFile = join(work, 'catalog.html');
    const written = dbbackup(['catalog', 'export', '--format', 'html', '--output', htmlFile]);
    expect(written.status).toBe(0);
    expect(written.stdout).toBe(`exported  3 backups as html\nfile      ${htmlFile}\n`);
    const html = readFileSync(htmlFile, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain(pgDatabase);

    // The export's --format wins over a json global format from the environment: CSV stays CSV.
    expect(dbbackup(['catalog', 'export', '--format', 'csv'], { DBBACKUP_FORMAT: 'json' }).stdout).toBe(csv.stdout);
    // Without --format the export follows the global output format: csv for people, json when json is asked for.
    expect(dbbackup(['catalog', 'export']).stdout).toMatch(/^id,database,/);
    expect(JSON.parse(dbbackup(['catalog', 'export'], { DBBACKUP_FORMAT: 'json' }).stdout)).toHaveProperty('backups');

    const wrong = dbbackup(['catalog', 'export', '--format', 'table']);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/^dbbackup: invalid --format/);
    // Other commands keep the global --format table|json.
    const listCsv = dbbackup(['catalog', 'list', '--format', 'csv']);
    expect(listCsv.status).toBe(2);
    expect(listCsv.stderr).toBe("dbbackup: invalid --format 'csv': expected one of table, json\n");
  });

  it('checks the files: exit 0 when intact, exit 1 listing each problem', () => {
    const clean = dbbackup(['catalog', 'check']);
    expect(clean.status).toBe(0);
    expect(clean.stdout).toBe('checked 3 backups: every file is present with its recorded size and sha256\n');

    const copy = join(work, 'mariadb-copy.dbb.tar');
    writeFileSync(copy, readFileSync(paths.mariadb));
    writeFileSync(paths.mariadb, Buffer.concat([readFileSync(paths.mariadb), Buffer.from('tail')]));
    try {
      const damaged = dbbackup(['catalog', 'check', '--format', 'json']);
      expect(damaged.status).toBe(1);
      const report = JSON.parse(damaged.stdout) as { problems: Array<{ location: string; problem: string }> };
      expect(report.problems).toEqual([expect.objectContaining({ location: paths.mariadb, problem: 'size-mismatch' })]);
      expect(damaged.stderr).toMatch(/^dbbackup: 1 of 3 backups in the catalog are missing or changed; /);
      const table = dbbackup(['catalog', 'check', '--no-hash']);
      expect(table.status).toBe(1);
      expect(table.stdout).toContain('size-mismatch');
    } finally {
      writeFileSync(paths.mariadb, readFileSync(copy));
      unlinkSync(copy);
    }
  });

  it('rebuilds the same records after the catalog file is deleted', () => {
    const before = list().map(({ id: _id, ...rest }) => rest);
    rmSync(join(work, 'state'), { recursive: true, force: true });
    const synced = dbbackup(['catalog', 'sync', backupDir, '--encryption-key-file', keyFile]);
    expect(synced.status).toBe(0);
    expect(synced.stdout).toMatch(/added\s+3\n/);
    expect(list().map(({ id: _id, ...rest }) => rest)).toEqual(before);
  });

  it('refuses unknown URI schemes and unusable catalog paths with one line', () => {
    const cloud = dbbackup(['catalog', 'sync', 'ftp://host/backups']);
    expect(cloud.status).toBe(2);
    expect(cloud.stderr).toMatch(
      /^dbbackup: catalog sync reads a directory or s3:\/\/, azure:\/\/, gcs:\/\/ or sftp:\/\/ folders, not ftp:\/\/host\/backups\n$/,
    );
    const notDirectory = join(work, 'file');
    writeFileSync(notDirectory, 'x');
    const unusable = runBuiltCli(['catalog', 'list', '--catalog', join(notDirectory, 'catalog.db'), '--no-config'], {
      cwd,
    });
    expect(unusable.status).toBe(2);
    expect(unusable.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(unusable.stderr).toMatch(
      new RegExp(`^dbbackup: cannot open the backup catalog ${notDirectory}/catalog\\.db: .*--catalog PATH\\n$`),
    );
    const missingDirectory = dbbackup(['catalog', 'sync', join(work, 'nowhere')]);
    expect(missingDirectory.status).toBe(2);
    expect(missingDirectory.stderr).toMatch(/^dbbackup: cannot read backup directory .*nowhere: .*; check the path\n$/);
  });
});
