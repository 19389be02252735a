/**
 * Backups, verifications and restores recording themselves in the catalog, the --pre-hook/--post-hook contract, and
 * `preflight`, through the built CLI against the real PostgreSQL and MariaDB.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Catalog } from '@dbbackup/catalog';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cliEnv,
  createSampleDatabase,
  dbbackup as dbbackupWithEnv,
  dropDatabase,
  pg,
  psql,
  removeScratchDirectories,
  scratchDirectory,
  uniqueName,
} from './backup-restore-fixtures.js';
import { builtCli } from './support/run-built-cli.js';

/** The built CLI against the test PostgreSQL (a -d flag still overrides the type). */
const dbbackup = (args: readonly string[]) => dbbackupWithEnv(args, { DBBACKUP_DB_TYPE: 'postgres' });

const source = uniqueName('dbb_rec');
const restored = uniqueName('dbb_rec_copy');

beforeAll(() => createSampleDatabase(source));
afterAll(() => {
  dropDatabase(source);
  dropDatabase(restored);
  removeScratchDirectories();
});

async function withCatalog<T>(path: string, read: (catalog: Catalog) => Promise<T>): Promise<T> {
  const catalog = await Catalog.open(path);
  try {
    return await read(catalog);
  } finally {
    await catalog.close();
  }
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function archivesIn(directory: string): string[] {
  return readdirSync(directory).filter((name) => name.endsWith('.dbb.tar'));
}

describe('catalog recording', () => {
  it('records a backup, its verification and a restore of it, and the sidecar keeps the verification', async () => {
    const work = scratchDirectory();
    const catalogPath = join(work, 'catalog.db');
    const backupDir = join(work, 'backups');
    const backup = dbbackup([
      'backup',
      'single',
      source,
      '--backup-dir',
      backupDir,
      '--catalog',
      catalogPath,
      '--format',
      'json',
    ]);
    expect(backup.stderr).toBe('');
    expect(backup.status).toBe(0);
    const report = JSON.parse(backup.stdout) as { path: string; sha256: string; bytes: number };

    const recorded = await withCatalog(catalogPath, (catalog) => catalog.findBackupByLocation(report.path));
    expect(recorded).toMatchObject({
      database: source,
      engine: 'postgresql',
      host: pg.host,
      kind: 'single',
      format: 'archive',
      status: 'success',
      bytes: report.bytes,
      sha256: sha256(report.path),
      encrypted: false,
      tables: 3,
      rows: 5000,
      verification: null,
    });
    expect(recorded?.compression).toMatch(/^zstd:\d+$/);
    expect(recorded?.consistency).toHaveProperty('snapshot');
    expect(recorded?.durationMs).toBeGreaterThanOrEqual(0);

    const verify = dbbackup(['verify-backup', report.path, '--deep', '--catalog', catalogPath]);
    expect(verify.status).toBe(0);
    const verified = await withCatalog(catalogPath, (catalog) => catalog.findBackupByLocation(report.path));
    expect(verified?.verification).toMatchObject({ result: 'passed', kind: 'deep' });
    const sidecar = JSON.parse(readFileSync(`${report.path}.verify.json`, 'utf8')) as Record<string, unknown>;
    expect(sidecar).toMatchObject({ result: 'passed', kind: 'deep', sha256: report.sha256 });

    const restore = dbbackup([
      'restore',
      'single',
      report.path,
      '--target',
      restored,
      '--create',
      '--catalog',
      catalogPath,
    ]);
    expect(restore.status).toBe(0);
    const restores = await withCatalog(catalogPath, (catalog) => catalog.listRestores({ database: restored }));
    expect(restores).toHaveLength(1);
    // A restore counts the tables it loaded data into (empty_table has none).
    expect(restores[0]).toMatchObject({ backupId: recorded?.id, status: 'success', tables: 2, rows: 5000 });
  });

  it('records a failed backup with its error, and a SQL script backup with its format', async () => {
    const work = scratchDirectory();
    const catalogPath = join(work, 'catalog.db');
    const missing = uniqueName('dbb_absent');
    const failed = dbbackup(['backup', 'single', missing, '--backup-dir', work, '--catalog', catalogPath]);
    expect(failed.status).toBe(2);
    const script = dbbackup([
      'backup',
      'single',
      source,
      '--dump-format',
      'sql',
      '--backup-dir',
      work,
      '--catalog',
      catalogPath,
      '--compression-algorithm',
      'gzip',
    ]);
    expect(script.status).toBe(0);
    const records = await withCatalog(catalogPath, (catalog) => catalog.listBackups({ order: 'oldest' }));
    expect(records.map((record) => [record.database, record.status, record.format])).toEqual([
      [missing, 'failed', 'archive'],
      [source, 'success', 'sql'],
    ]);
    expect(records[0]?.error).toContain(missing);
    expect(records[1]?.compression).toMatch(/^gzip:\d$/);
    expect(records[1]?.sha256).toBe(sha256(records[1]?.location ?? ''));
  });

  it('two backups running at the same time both land in the catalog', async () => {
    const work = scratchDirectory();
    const catalogPath = join(work, 'catalog.db');
    const run = (directory: string) =>
      new Promise<number | null>((resolve) => {
        const child = spawn(
          process.execPath,
          [builtCli, 'backup', 'single', source, '--backup-dir', directory, '--catalog', catalogPath, '--no-config'],
          { env: { ...process.env, ...cliEnv, DBBACKUP_DB_TYPE: 'postgres' }, stdio: 'ignore' },
        );
        child.on('close', resolve);
      });
    const statuses = await Promise.all([run(join(work, 'a')), run(join(work, 'b'))]);
    expect(statuses).toEqual([0, 0]);
    const records = await withCatalog(catalogPath, (catalog) => catalog.listBackups({ database: source }));
    expect(records).toHaveLength(2);
    expect(records.every((record) => record.status === 'success')).toBe(true);
    expect(new Set(records.map((record) => record.location)).size).toBe(2);
  });
});

describe('hooks', () => {
  it('runs the pre-hook before and the post-hook after, with the DBBACKUP_* facts', () => {
    const work = scratchDirectory();
    const backupDir = join(work, 'backups');
    const preLog = join(work, 'pre.env');
    const postLog = join(work, 'post.env');
    const result = dbbackup([
      'backup',
      'single',
      source,
      '--backup-dir',
      backupDir,
      '--pre-hook',
      `env | grep ^DBBACKUP_ | sort > '${preLog}'; echo FILES: >> '${preLog}'; ls '${backupDir}' >> '${preLog}' 2>&1 || true`,
      '--post-hook',
      `env | grep ^DBBACKUP_ | sort > '${postLog}'; echo hook says hi`,
      '--format',
      'json',
    ]);
    expect(result.status).toBe(0);
    // The hook's own output goes to stderr, so stdout stays one JSON document.
    expect(result.stderr).toContain('hook says hi');
    const report = JSON.parse(result.stdout) as { path: string; bytes: number };
    const pre = readFileSync(preLog, 'utf8');
    expect(pre).toContain('DBBACKUP_HOOK=pre');
    expect(pre).toContain('DBBACKUP_OPERATION=backup');
    expect(pre).toContain(`DBBACKUP_DATABASE=${source}`);
    expect(pre).toContain(`DBBACKUP_PATH=${report.path}`);
    expect(pre).toContain('DBBACKUP_ENGINE=postgresql');
    expect(pre).not.toContain('DBBACKUP_STATUS');
    // Nothing was written yet when the pre-hook ran.
    expect(pre.slice(pre.indexOf('FILES:'))).not.toContain('.dbb.tar');
    const post = readFileSync(postLog, 'utf8');
    expect(post).toContain('DBBACKUP_STATUS=success');
    expect(post).toContain(`DBBACKUP_BYTES=${report.bytes}`);
    expect(post).toMatch(/DBBACKUP_DURATION_MS=\d+/);
  });

  it('a failing pre-hook stops the backup before anything is written', () => {
    const work = scratchDirectory();
    const backupDir = join(work, 'backups');
    const result = dbbackup(['backup', 'single', source, '--backup-dir', backupDir, '--pre-hook', 'exit 3']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /^dbbackup: --pre-hook failed \(exit status 3\): exit 3; the backup was not started/m,
    );
    expect(existsSync(backupDir) ? archivesIn(backupDir) : []).toEqual([]);
  });

  it('a failing post-hook is a warning, and a failed backup still runs the post-hook with status failed', () => {
    const work = scratchDirectory();
    const ok = dbbackup(['backup', 'single', source, '--backup-dir', work, '--post-hook', 'exit 4']);
    expect(ok.status).toBe(0);
    expect(ok.stderr).toContain('dbbackup: warning: --post-hook failed (exit status 4)');
    expect(archivesIn(work)).toHaveLength(1);

    const postLog = join(work, 'failed.env');
    const missing = uniqueName('dbb_absent');
    const failed = dbbackup([
      'backup',
      'single',
      missing,
      '--backup-dir',
      work,
      '--post-hook',
      `echo "$DBBACKUP_STATUS|$DBBACKUP_ERROR" > '${postLog}'`,
    ]);
    expect(failed.status).toBe(2);
    const [status, error] = readFileSync(postLog, 'utf8').trim().split('|');
    expect(status).toBe('failed');
    expect(error).toContain(missing);
  });

  it('restore runs its hooks too', () => {
    const work = scratchDirectory();
    const backup = dbbackup(['backup', 'single', source, '--backup-dir', work, '--format', 'json']);
    const { path } = JSON.parse(backup.stdout) as { path: string };
    const target = uniqueName('dbb_hook_copy');
    const postLog = join(work, 'restore.env');
    try {
      const restore = dbbackup([
        'restore',
        'single',
        path,
        '--target',
        target,
        '--create',
        '--pre-hook',
        'test "$DBBACKUP_OPERATION" = restore',
        '--post-hook',
        `echo "$DBBACKUP_DATABASE $DBBACKUP_STATUS" > '${postLog}'`,
      ]);
      expect(restore.status).toBe(0);
      expect(readFileSync(postLog, 'utf8').trim()).toBe(`${target} success`);
      expect(psql(target, 'SELECT count(*) FROM users')).toBe('3000');
    } finally {
      dropDatabase(target);
    }
  });
});

describe('preflight and backup --dry-run', () => {
  it('passes for a reachable database, with the privilege check, and writes nothing', async () => {
    const work = scratchDirectory();
    const catalogPath = join(work, 'catalog.db');
    const result = dbbackup([
      'preflight',
      source,
      '--backup-dir',
      join(work, 'backups'),
      '--catalog',
      catalogPath,
      '--format',
      'json',
    ]);
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as { ok: boolean; checks: Array<{ name: string; status: string }> };
    expect(report.ok).toBe(true);
    expect(report.checks.map((check) => [check.name, check.status])).toEqual([
      ['server', 'ok'],
      ['privileges', 'ok'],
      ['database', 'ok'],
      ['backup directory', 'ok'],
      ['free space', 'ok'],
    ]);
    expect(readdirSync(work)).toEqual([]);
  });

  it('names a missing database and a missing privilege', () => {
    const missing = uniqueName('dbb_absent');
    const absent = dbbackup(['preflight', missing]);
    expect(absent.status).toBe(2);
    expect(absent.stderr).toContain(missing);

    const role = uniqueName('dbb_reader');
    psql(source, `CREATE ROLE ${role} LOGIN; GRANT SELECT ON users, empty_table TO ${role}`);
    try {
      const denied = dbbackup(['backup', 'single', source, '--dry-run', '--user', role]);
      expect(denied.status).toBe(2);
      expect(denied.stdout).toMatch(/privileges\s+fail/);
      expect(denied.stderr).toContain('payments');
    } finally {
      psql(source, `DROP OWNED BY ${role}; DROP ROLE ${role}`);
    }
  });

  it('checks a MariaDB server and database', () => {
    const database = uniqueName('dbb_my_pre');
    const mariadb = (statement: string) =>
      execFileSync('mariadb', ['-h', '127.0.0.1', '-P', '3306', '-u', 'root', '-e', statement], { stdio: 'ignore' });
    mariadb(`CREATE DATABASE \`${database}\`; CREATE TABLE \`${database}\`.t (id INT PRIMARY KEY)`);
    try {
      const connection = ['-d', 'mariadb', '--host', '127.0.0.1', '--port', '3306', '--user', 'root'];
      const result = dbbackup(['preflight', database, ...connection]);
      expect(result.stdout).toMatch(/privileges\s+ok/);
      expect(result.status).toBe(0);
      const absent = dbbackup(['preflight', `${database}_absent`, ...connection]);
      expect(absent.status).toBe(2);
      expect(absent.stderr).toContain(`${database}_absent`);
    } finally {
      mariadb(`DROP DATABASE IF EXISTS \`${database}\``);
    }
  });
});
