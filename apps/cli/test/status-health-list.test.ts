/**
 * `status`, `health` and `list` through the built CLI, on real backups of a throwaway PostgreSQL database and a
 * throwaway MariaDB database. Each scenario has its own catalog file (a real SQLite database), seeded through the
 * Catalog API from the archives' own manifests; the age of a backup is set by recording a copy of a real archive with
 * an earlier startedAt. Every run passes --catalog and --backup-dir, so nothing touches ~/.dbbackup.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { basename, join } from 'node:path';
import { Catalog, scanBackupDirectory, type Verification } from '@dbbackup/catalog';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderStatus } from '../src/health/render-status.js';
import { buildStatusReport } from '../src/health/status-report.js';
import { colourEnabled } from '../src/output/colour.js';
import {
  cliEnv,
  createSampleDatabase,
  dropDatabase,
  pg,
  removeScratchDirectories,
  scratchDirectory,
  uniqueName,
} from './backup-restore-fixtures.js';
import { type CliProcessResult, runBuiltCli } from './support/run-built-cli.js';

const my = {
  host: process.env.MYSQL_HOST ?? '127.0.0.1',
  port: process.env.MYSQL_TCP_PORT ?? '3306',
  user: process.env.MYSQL_USER ?? 'root',
};

const HOUR = 60 * 60 * 1000;

function mariadb(statements: string): string {
  return execFileSync('mariadb', ['-h', my.host, '-P', my.port, '-u', my.user, '-N', '-B', '-e', statements], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

/** Both servers' connection variables: PG* for postgres (and no --db-type), MYSQL_* for mariadb. */
const serverEnv: Record<string, string> = {
  ...cliEnv,
  MYSQL_HOST: my.host,
  MYSQL_TCP_PORT: my.port,
  MYSQL_USER: my.user,
};

/** The built CLI in a fresh directory (no .dbbackup.conf) unless `cwd` is given. */
function dbbackup(args: readonly string[], options: { cwd?: string } = {}): CliProcessResult {
  return runBuiltCli(args, { env: serverEnv, cwd: options.cwd ?? scratchDirectory() });
}

interface HealthCheckJson {
  name: string;
  target: string | null;
  status: 'ok' | 'warning' | 'critical';
  detail: string;
}
interface HealthJson {
  status: string;
  exit_code: number;
  summary: string;
  checks: HealthCheckJson[];
}

function healthJson(
  args: readonly string[],
  options: { cwd?: string } = {},
): { result: CliProcessResult; report: HealthJson } {
  const result = dbbackup(['health', ...args, '--format', 'json'], options);
  return { result, report: JSON.parse(result.stdout) as HealthJson };
}

function checksBy(report: HealthJson, name: string): HealthCheckJson[] {
  return report.checks.filter((item) => item.name === name);
}

/** A TCP port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('status, health and list on real PostgreSQL and MariaDB backups', () => {
  const pgDatabase = uniqueName('dbb_health_pg');
  const myDatabase = uniqueName('dbb_health_my');
  const work = scratchDirectory();
  /** What --backup-dir points at: the real backups, and later a leftover .partial file. */
  const backupDir = join(work, 'backups');
  /** Copies of the PostgreSQL archive, recorded as older backups (not in backupDir, so list does not show them). */
  const copiesDir = join(work, 'copies');
  let pgArchive: string;
  let myArchive: string;
  let passed: Verification;

  /** Catalog records as `catalog sync` would make them, from each archive's own manifest. */
  const records = new Map<string, NonNullable<Awaited<ReturnType<typeof firstRecord>>>>();
  async function firstRecord(path: string) {
    for await (const scanned of scanBackupDirectory(join(path, '..'), { recursive: false, hash: true })) {
      if (scanned.path === path) return scanned.record;
    }
    return null;
  }
  async function recordOf(path: string) {
    const cached = records.get(path);
    if (cached) return cached;
    const record = await firstRecord(path);
    if (!record) throw new Error(`${path} is not a complete backup`);
    records.set(path, record);
    return record;
  }

  /** A PostgreSQL backup `hoursAgo` old: a copy of the real archive, recorded with that start time. */
  function olderCopy(label: string): string {
    const copy = join(copiesDir, `${pgDatabase}-${label}.dbb.tar`);
    copyFileSync(pgArchive, copy);
    return copy;
  }

  /** A new catalog file holding these backups (successful, with the given age and verification). */
  async function seedCatalog(
    name: string,
    entries: ReadonlyArray<{ archive: string; hoursAgo?: number; verification?: Verification | null }>,
    failedOnly: readonly string[] = [],
  ): Promise<string> {
    const path = join(work, `${name}.db`);
    const catalog = await Catalog.open(path);
    try {
      for (const entry of entries) {
        const record = await recordOf(entry.archive);
        const startedAt =
          entry.hoursAgo === undefined ? new Date(record.startedAt) : new Date(Date.now() - entry.hoursAgo * HOUR);
        await catalog.upsertBackup({
          ...record,
          location: entry.archive,
          startedAt: startedAt.toISOString(),
          finishedAt: new Date(startedAt.getTime() + 1000).toISOString(),
          status: 'success',
          verification: entry.verification ?? null,
        });
      }
      for (const database of failedOnly) {
        const run = await catalog.beginBackup({
          database,
          engine: 'postgresql',
          host: pg.host,
          kind: 'single',
          format: 'archive',
          location: join(work, `${database}-failed.dbb.tar`),
          startedAt: new Date(Date.now() - 2 * HOUR).toISOString(),
          encrypted: false,
          compression: 'zstd:3',
        });
        await catalog.failBackup(run.id, 'connection refused', new Date(Date.now() - 2 * HOUR + 500).toISOString());
      }
    } finally {
      await catalog.close();
    }
    return path;
  }

  beforeAll(() => {
    mkdirSync(backupDir);
    mkdirSync(copiesDir);
    createSampleDatabase(pgDatabase);
    mariadb(
      `CREATE DATABASE \`${myDatabase}\`; CREATE TABLE \`${myDatabase}\`.items (id INT PRIMARY KEY, name VARCHAR(20));
       INSERT INTO \`${myDatabase}\`.items VALUES (1, 'one'), (2, 'two'), (3, 'three');`,
    );
    // The backups' own catalog entries go to a catalog of their own: each scenario below seeds a fresh one.
    const backupCatalog = join(work, 'backups-run.db');
    const pgBackup = dbbackup([
      'backup',
      'single',
      pgDatabase,
      '--db-type',
      'postgres',
      '--backup-dir',
      backupDir,
      '--catalog',
      backupCatalog,
      '--format',
      'json',
    ]);
    expect(pgBackup.stderr).toBe('');
    expect(pgBackup.status).toBe(0);
    pgArchive = (JSON.parse(pgBackup.stdout) as { path: string }).path;
    const myBackup = dbbackup([
      'backup',
      'single',
      myDatabase,
      '--db-type',
      'mariadb',
      '--backup-dir',
      backupDir,
      '--catalog',
      backupCatalog,
      '--format',
      'json',
    ]);
    expect(myBackup.stderr).toBe('');
    expect(myBackup.status).toBe(0);
    myArchive = (JSON.parse(myBackup.stdout) as { path: string }).path;
    // A real verification: verify-backup passes on the PostgreSQL archive.
    const verified = dbbackup(['verify-backup', pgArchive, '--catalog', backupCatalog]);
    expect(verified.status).toBe(0);
    passed = { at: new Date().toISOString(), result: 'passed', kind: 'verify', detail: null };
  });

  afterAll(() => {
    dropDatabase(pgDatabase);
    mariadb(`DROP DATABASE IF EXISTS \`${myDatabase}\``);
    removeScratchDirectories();
  });

  describe('health', () => {
    it('exits 0 for a fresh verified backup, a reachable server and an existing database', async () => {
      const catalog = await seedCatalog('healthy', [{ archive: pgArchive, verification: passed }]);
      const args = ['--db-type', 'postgres', '--database', pgDatabase, '--catalog', catalog, '--backup-dir', backupDir];
      const { result, report } = healthJson(args);
      expect(result.status).toBe(0);
      expect(result.stderr).toBe('');
      expect(report).toMatchObject({ status: 'healthy', exit_code: 0 });
      expect(report.checks.map((item) => [item.name, item.status])).toEqual([
        ['config', 'ok'],
        ['catalog', 'ok'],
        ['connectivity', 'ok'],
        ['database', 'ok'],
        ['freshness', 'ok'],
        ['gaps', 'ok'],
        ['verification', 'ok'],
        ['disk', 'ok'],
      ]);
      expect(checksBy(report, 'connectivity')[0]?.detail).toMatch(/^postgresql \d+/);
      expect(checksBy(report, 'disk')[0]?.detail).toMatch(/ free \(\d+\.\d%\) in /);

      const table = dbbackup(['health', ...args]);
      expect(table.status).toBe(0);
      const lines = table.stdout.trimEnd().split('\n');
      expect(lines.at(-1)).toBe('health: healthy (8 checks ok)');
      expect(table.stdout).not.toContain('\x1b[');
      const quiet = dbbackup(['health', ...args, '--quiet']);
      expect(quiet.stdout).toBe('health: healthy (8 checks ok)\n');
    });

    it('exits 1 when the newest backup is older than --max-age but not twice as old', async () => {
      const catalog = await seedCatalog('aging', [{ archive: olderCopy('30h'), hoursAgo: 30, verification: passed }]);
      const args = ['--db-type', 'postgres', '--database', pgDatabase, '--catalog', catalog, '--backup-dir', backupDir];
      const { result, report } = healthJson([...args, '--max-age', '26h']);
      expect(result.status).toBe(1);
      expect(report).toMatchObject({ status: 'warning', exit_code: 1 });
      expect(checksBy(report, 'freshness')).toEqual([
        {
          name: 'freshness',
          target: pgDatabase,
          status: 'warning',
          detail: `backup of ${pgDatabase} is 30h old, max 26h`,
        },
      ]);
      expect(report.checks.filter((item) => item.status !== 'ok')).toHaveLength(1);

      const table = dbbackup(['health', ...args, '--max-age', '26h']);
      expect(table.status).toBe(1);
      const summary = `health: warning (1 warning: backup of ${pgDatabase} is 30h old, max 26h)`;
      expect(table.stdout.trimEnd().split('\n').at(-1)).toBe(summary);
      // The CLI's error handler repeats the summary on stderr; the exit code is its only other trace.
      expect(table.stderr).toBe(`dbbackup: ${summary}\n`);

      // Twice --max-age and more is critical.
      const critical = healthJson([...args, '--max-age', '12h']);
      expect(critical.result.status).toBe(2);
      expect(checksBy(critical.report, 'freshness')[0]).toMatchObject({ status: 'critical' });
      expect(checksBy(critical.report, 'freshness')[0]?.detail).toContain('more than twice the max 12h');
    });

    it('exits 1 when the newest backup was never verified, and says how to verify it', async () => {
      const unverified = olderCopy('unverified');
      const catalog = await seedCatalog('unverified', [{ archive: unverified, hoursAgo: 1 }]);
      const { result, report } = healthJson([
        '--db-type',
        'postgres',
        '--database',
        pgDatabase,
        '--catalog',
        catalog,
        '--backup-dir',
        backupDir,
      ]);
      expect(result.status).toBe(1);
      const [verification] = checksBy(report, 'verification');
      expect(verification?.status).toBe('warning');
      expect(verification?.detail).toContain(`dbbackup verify-backup ${unverified}`);
      expect(verification?.detail).toContain('--verify-restore');
    });

    it('exits 2 when the latest verification failed', async () => {
      const failed: Verification = { ...passed, result: 'failed', detail: 'checksum mismatch in data/000003.copy.zst' };
      const catalog = await seedCatalog('verify-failed', [
        { archive: olderCopy('damaged'), hoursAgo: 1, verification: failed },
      ]);
      const { result, report } = healthJson(['--db-type', 'postgres', '--catalog', catalog, '--backup-dir', backupDir]);
      expect(result.status).toBe(2);
      expect(checksBy(report, 'verification')[0]).toMatchObject({ status: 'critical' });
      expect(checksBy(report, 'verification')[0]?.detail).toContain('checksum mismatch');
    });

    it('warns about a gap longer than --max-age that ended in the last 7 days', async () => {
      const catalog = await seedCatalog('gap', [
        { archive: olderCopy('3d'), hoursAgo: 72, verification: passed },
        { archive: pgArchive, verification: passed },
      ]);
      const { result, report } = healthJson([
        '--db-type',
        'postgres',
        '--database',
        pgDatabase,
        '--catalog',
        catalog,
        '--backup-dir',
        backupDir,
      ]);
      expect(result.status).toBe(1);
      const [gaps] = checksBy(report, 'gaps');
      expect(gaps?.status).toBe('warning');
      expect(gaps?.detail).toContain(`${pgDatabase} had no backup for`);
      expect(checksBy(report, 'freshness')[0]?.status).toBe('ok');
    });

    it('exits 2 for an unreachable server, naming host and port', async () => {
      const catalog = await seedCatalog('unreachable', [{ archive: pgArchive, verification: passed }]);
      const port = await closedPort();
      const { result, report } = healthJson([
        '--db-type',
        'postgres',
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--database',
        pgDatabase,
        '--catalog',
        catalog,
        '--backup-dir',
        backupDir,
      ]);
      expect(result.status).toBe(2);
      expect(report.status).toBe('critical');
      const [connectivity] = checksBy(report, 'connectivity');
      expect(connectivity?.status).toBe('critical');
      expect(connectivity?.detail).toContain(`127.0.0.1:${port}`);
      expect(connectivity?.detail).toContain('connection refused');
      // The database cannot be looked for without the server; the catalog checks still ran.
      expect(checksBy(report, 'database')).toEqual([]);
      expect(checksBy(report, 'freshness')[0]?.status).toBe('ok');
      expect(result.stderr).toContain('dbbackup: health: critical (1 critical: ');
    });

    it('exits 2 for a database that does not exist', async () => {
      const catalog = await seedCatalog('missing', [{ archive: pgArchive, verification: passed }]);
      const missing = uniqueName('dbb_health_missing');
      const { result, report } = healthJson([
        '--db-type',
        'postgres',
        '--database',
        missing,
        '--catalog',
        catalog,
        '--backup-dir',
        backupDir,
      ]);
      expect(result.status).toBe(2);
      expect(checksBy(report, 'database')).toEqual([
        expect.objectContaining({
          target: missing,
          status: 'critical',
          detail: expect.stringContaining('does not exist'),
        }),
      ]);
      expect(checksBy(report, 'freshness')[0]).toMatchObject({
        status: 'critical',
        detail: `no successful backup of ${missing} in the catalog`,
      });
    });

    it('without --db-type checks every engine in the catalog: PostgreSQL and MariaDB', async () => {
      const catalog = await seedCatalog('both', [
        { archive: pgArchive, verification: passed },
        { archive: myArchive, verification: passed },
      ]);
      const { result, report } = healthJson(['--catalog', catalog, '--backup-dir', backupDir]);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(checksBy(report, 'connectivity').map((item) => [item.target, item.status])).toEqual([
        ['mariadb', 'ok'],
        ['postgresql', 'ok'],
      ]);
      expect(checksBy(report, 'freshness').map((item) => item.target)).toEqual([myDatabase, pgDatabase].sort());
    });

    it('reports an invalid .dbbackup.conf as a critical check instead of failing before the checks', async () => {
      const catalog = await seedCatalog('config', [{ archive: pgArchive, verification: passed }]);
      const args = ['--catalog', catalog, '--backup-dir', backupDir];
      const cwd = scratchDirectory();
      // jobs decides this run (nothing overrides it), so every other command fails on it before its action.
      writeFileSync(join(cwd, '.dbbackup.conf'), 'db-type = postgres\njobs = zero\n');
      const { result, report } = healthJson(args, { cwd });
      expect(result.status).toBe(2);
      expect(checksBy(report, 'config')).toEqual([
        {
          name: 'config',
          target: null,
          status: 'critical',
          detail: expect.stringMatching(
            /^invalid jobs 'zero' in \.dbbackup\.conf line 2: .*the other checks ran without /,
          ),
        },
      ]);
      // The rest ran without the file (the environment's PGPORT), so the server answered.
      expect(checksBy(report, 'connectivity')[0]?.status).toBe('ok');
      expect(checksBy(report, 'freshness')[0]?.status).toBe('ok');
      const status = dbbackup(['status', '--catalog', catalog], { cwd });
      expect(status.status).toBe(2);
      expect(status.stderr).toContain("invalid jobs 'zero' in .dbbackup.conf line 2");

      // A bad value that PGPORT overrides this time is still reported: the next run may use it.
      writeFileSync(join(cwd, '.dbbackup.conf'), 'port = 99999\n');
      const overridden = healthJson(args, { cwd });
      expect(overridden.result.status).toBe(2);
      expect(checksBy(overridden.report, 'config')[0]?.detail).toBe(
        "invalid port '99999' in .dbbackup.conf line 1: expected an integer from 1 to 65535; fix the file or pass --no-config",
      );

      // A key the file ignores is a warning.
      writeFileSync(join(cwd, '.dbbackup.conf'), 'backup-dri = /var/backups\n');
      const typo = healthJson(args, { cwd });
      expect(typo.result.status).toBe(1);
      expect(checksBy(typo.report, 'config')[0]).toMatchObject({
        status: 'warning',
        detail: expect.stringContaining("unknown key 'backup-dri' ignored (did you mean 'backup-dir'?)"),
      });

      // A bad flag is still a usage error for health too.
      const badFlag = dbbackup(['health', '--port', 'x', '--catalog', catalog]);
      expect(badFlag.status).toBe(2);
      expect(badFlag.stdout).toBe('');
      expect(badFlag.stderr).toContain("invalid --port 'x'");
    });

    it('exits 2 when the catalog cannot be opened, and leaves out the checks that read it', () => {
      const { result, report } = healthJson([
        '--db-type',
        'postgres',
        '--catalog',
        '/dev/null/catalog.db',
        '--backup-dir',
        backupDir,
      ]);
      expect(result.status).toBe(2);
      expect(report.checks.map((item) => [item.name, item.status])).toEqual([
        ['config', 'ok'],
        ['catalog', 'critical'],
        ['connectivity', 'ok'],
        ['disk', 'ok'],
      ]);
      expect(checksBy(report, 'catalog')[0]?.detail).toContain('/dev/null/catalog.db');
    });

    it('refuses an invalid --max-age', () => {
      const result = dbbackup(['health', '--max-age', 'soon', '--catalog', join(work, 'unused.db')]);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain("invalid --max-age 'soon'");
    });
  });

  describe('status', () => {
    it('shows one row per database with its staleness in JSON, plain text when not a terminal', async () => {
      const catalog = await seedCatalog(
        'status',
        [
          { archive: olderCopy('stale'), hoursAgo: 60, verification: passed },
          { archive: myArchive, hoursAgo: 30 },
        ],
        ['dbb_health_never'],
      );
      const result = dbbackup(['status', '--catalog', catalog, '--format', 'json']);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const report = JSON.parse(result.stdout) as { databases: Array<Record<string, unknown>> };
      const byName = Object.fromEntries(report.databases.map((row) => [row.database, row]));
      expect(Object.keys(byName).sort()).toEqual(['dbb_health_never', myDatabase, pgDatabase].sort());
      expect(byName[pgDatabase]).toMatchObject({
        engine: 'postgresql',
        staleness: 'stale',
        last_backup: { status: 'success', encrypted: false, verification: { result: 'passed', kind: 'verify' } },
        last_success: { status: 'success' },
      });
      expect(byName[pgDatabase]?.age_seconds).toBeGreaterThanOrEqual(60 * 3600);
      expect(byName[pgDatabase]?.age_seconds).toBeLessThan(61 * 3600);
      expect(byName[myDatabase]).toMatchObject({
        engine: 'mariadb',
        staleness: 'aging',
        last_success: { verification: null },
      });
      expect(byName[myDatabase]).toMatchObject({ last_success: { bytes: readFileSync(myArchive).length } });
      expect(byName.dbb_health_never).toMatchObject({
        staleness: 'never',
        age_seconds: null,
        last_backup: { status: 'failed', error: 'connection refused' },
        last_success: null,
      });

      const thresholds = dbbackup([
        'status',
        '--catalog',
        catalog,
        '--aging-after',
        '59h',
        '--stale-after',
        '4d',
        '--format',
        'json',
      ]);
      const relaxed = JSON.parse(thresholds.stdout) as { databases: Array<{ database: string; staleness: string }> };
      expect(relaxed.databases.find((row) => row.database === pgDatabase)?.staleness).toBe('aging');
      expect(relaxed.databases.find((row) => row.database === myDatabase)?.staleness).toBe('ok');

      const table = dbbackup(['status', '--catalog', catalog]);
      expect(table.status).toBe(0);
      expect(table.stdout).toContain('STALENESS');
      expect(table.stdout).toMatch(new RegExp(`${pgDatabase} +postgresql .* 60h ago +stale `));
      expect(table.stdout).toContain('aging after 26h, stale after 50h');
      expect(table.stdout).not.toContain('\x1b[');
    });

    it('colours rows by staleness only on a terminal with --format table and no NO_COLOR', () => {
      expect(colourEnabled({ stdoutIsTerminal: true, format: 'table', env: {} })).toBe(true);
      expect(colourEnabled({ stdoutIsTerminal: false, format: 'table', env: {} })).toBe(false);
      expect(colourEnabled({ stdoutIsTerminal: true, format: 'json', env: {} })).toBe(false);
      expect(colourEnabled({ stdoutIsTerminal: true, format: 'table', env: { NO_COLOR: '1' } })).toBe(false);

      const now = new Date();
      const record = (database: string, hoursAgo: number) => {
        const startedAt = new Date(now.getTime() - hoursAgo * HOUR).toISOString();
        const backup = {
          id: 1,
          database,
          engine: 'postgresql',
          host: null,
          kind: 'single' as const,
          format: 'archive' as const,
          location: `/backups/${database}.dbb.tar`,
          startedAt,
          encrypted: true,
          compression: 'zstd:3',
          parentId: null,
          status: 'success' as const,
          error: null,
          finishedAt: startedAt,
          durationMs: 1000,
          bytes: 2048,
          sha256: 'a'.repeat(64),
          consistency: null,
          serverVersion: '15.4',
          tables: 1,
          rows: 1,
          verification: null,
        };
        return { database, engine: 'postgresql', host: null, lastBackup: backup, lastSuccess: backup };
      };
      const report = buildStatusReport([record('fresh', 1), record('late', 30), record('old', 60)], {
        catalog: '/tmp/catalog.db',
        now,
        thresholds: { agingAfterMs: 26 * HOUR, staleAfterMs: 50 * HOUR },
      });
      const coloured = renderStatus(report, { colour: true, now }).split('\n');
      expect(coloured[0]).toMatch(/^DATABASE/);
      expect(coloured[1]).toMatch(/^\x1b\[32mfresh .*ok .*\x1b\[39m$/);
      expect(coloured[2]).toMatch(/^\x1b\[33mlate .*aging .*\x1b\[39m$/);
      expect(coloured[3]).toMatch(/^\x1b\[31mold .*stale .*\x1b\[39m$/);
      const plain = renderStatus(report, { colour: false, now });
      expect(plain).not.toContain('\x1b[');
      // Colour wraps whole lines, so the columns line up exactly as without it.
      expect(renderStatus(report, { colour: true, now }).replace(/\x1b\[\d+m/g, '')).toBe(plain);
    });
  });

  describe('list', () => {
    it('shows complete backups and a leftover .partial file, newest first', () => {
      const partial = join(backupDir, `${pgDatabase}-20300101T000000Z.dbb.tar.partial`);
      writeFileSync(partial, readFileSync(pgArchive).subarray(0, 4096));
      const result = dbbackup([
        'list',
        '--backup-dir',
        backupDir,
        '--catalog',
        join(work, 'list.db'),
        '--format',
        'json',
      ]);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const report = JSON.parse(result.stdout) as { backups: Array<Record<string, unknown>> };
      const byFile = Object.fromEntries(report.backups.map((backup) => [backup.file, backup]));
      expect(byFile[basename(pgArchive)]).toMatchObject({
        state: 'complete',
        database: pgDatabase,
        engine: 'postgresql',
        bytes: readFileSync(pgArchive).length,
        // From the sidecar verify-backup wrote in beforeAll.
        verification: { result: 'passed', kind: 'verify' },
      });
      expect(byFile[basename(myArchive)]).toMatchObject({ state: 'complete', database: myDatabase, engine: 'mariadb' });
      expect(byFile[basename(partial)]).toMatchObject({ state: 'partial', bytes: 4096 });
      // Newest first: the partial file was written last, the MariaDB backup after the PostgreSQL one.
      expect(report.backups.map((backup) => backup.file)).toEqual([
        basename(partial),
        basename(myArchive),
        basename(pgArchive),
      ]);

      const table = dbbackup(['list', '--backup-dir', backupDir, '--catalog', join(work, 'list.db')]);
      expect(table.status).toBe(0);
      expect(table.stdout).toMatch(/^FILE +DATABASE +ENGINE +AGE +SIZE +STATUS/);
      expect(table.stdout).toMatch(new RegExp(`${basename(partial).replace(/\./g, '\\.')} .* partial`));
      expect(table.stdout).toMatch(
        new RegExp(`${basename(myArchive).replace(/\./g, '\\.')} .* complete, not verified`),
      );
      expect(table.stdout).toMatch(new RegExp(`${basename(pgArchive).replace(/\./g, '\\.')} .* complete, verified`));
    });

    it('refuses a backup directory that does not exist', () => {
      const result = dbbackup(['list', '--backup-dir', join(work, 'nowhere')]);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain('does not exist');
    });
  });
});
