import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  archiveFiles,
  BACKUP_REPORT_KEYS,
  createDatabase,
  createSampleDatabase,
  databaseExists,
  dbbackup,
  dbbackupJson,
  dropDatabase,
  psql,
  removeScratchDirectories,
  sampleFingerprints,
  scratchDirectory,
  tableFingerprint,
  uniqueName,
} from './backup-restore-fixtures.js';
import { emptyDirectory } from './support/run-built-cli.js';

const source = uniqueName('dbbackup_cli_src');
const created: string[] = [];
/** A database name this file creates (or makes the CLI create); dropped after all tests. */
function targetName(label: string): string {
  const name = uniqueName(`dbbackup_cli_${label}`);
  created.push(name);
  return name;
}

let expected: Record<string, string>;
let backup: Record<string, unknown>;
let backupDir: string;

beforeAll(() => {
  createSampleDatabase(source);
  expected = sampleFingerprints(source);
  backupDir = join(scratchDirectory(), 'backups');
  backup = dbbackupJson([
    'backup',
    'single',
    source,
    '--db-type',
    'postgres',
    '--backup-dir',
    backupDir,
    '--jobs',
    '2',
  ]);
});

afterAll(() => {
  for (const name of [source, ...created]) dropDatabase(name);
  removeScratchDirectories();
});

describe('dbbackup backup single', () => {
  it('prints exactly the documented JSON fields and writes <database>-<UTC stamp>.dbb.tar', () => {
    expect(Object.keys(backup).sort()).toEqual([...BACKUP_REPORT_KEYS].sort());
    expect(backup).toMatchObject({ database: source, tables: 3, rows: 5000, engine: 'postgresql', encrypted: false });
    expect(backup.compression).toMatchObject({ algorithm: 'zstd' });
    expect(backup.sha256).toMatch(/^[0-9a-f]{64}$/);
    const path = backup.path as string;
    expect(path.startsWith(backupDir)).toBe(true);
    expect(path).toMatch(new RegExp(`/${source}-\\d{8}T\\d{6}Z\\.dbb\\.tar$`));
    expect(archiveFiles(backupDir)).toEqual([path.slice(backupDir.length + 1)]);
    const listing = execFileSync('tar', ['-tf', path], { encoding: 'utf8' }).trim().split('\n');
    expect(listing[0]).toBe('header.json');
    expect(listing.at(-1)).toBe('manifest.json');
    expect(listing.filter((name) => name.startsWith('data/')).length).toBeGreaterThanOrEqual(2);
  });

  it('prints a human summary with path, size, tables and rows', () => {
    const directory = emptyDirectory();
    const result = dbbackup([
      'backup',
      'single',
      source,
      '-d',
      'postgres',
      '--backup-dir',
      directory,
      '--compression-algorithm',
      'gzip',
    ]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^backup +\/.*\.dbb\.tar$/m);
    expect(result.stdout).toMatch(/^tables +3$/m);
    expect(result.stdout).toMatch(/^rows +5,000$/m);
    expect(result.stdout).toMatch(/^speed +.*\/s$/m);
  });

  it('--dry-run checks everything and writes no file', () => {
    const directory = join(emptyDirectory(), 'not', 'yet');
    const result = dbbackup(['backup', 'single', source, '-d', 'postgres', '--backup-dir', directory, '--dry-run']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^server +ok/m);
    expect(result.stdout).toMatch(/^database +ok +.*3 tables/m);
    expect(result.stdout).toMatch(/^backup directory +ok +.* would be created/m);
    expect(result.stdout).toMatch(/^free space +ok/m);
    expect(result.stdout).toContain('nothing was written');
    expect(existsSync(directory)).toBe(false);
  });

  it('--dry-run with a missing database fails that check, names the database and exits 2', () => {
    const missing = uniqueName('dbbackup_cli_missing');
    const directory = emptyDirectory();
    const result = dbbackup([
      'backup',
      'single',
      missing,
      '-d',
      'postgres',
      '--backup-dir',
      directory,
      '-n',
      '--format',
      'json',
    ]);
    expect(result.status).toBe(2);
    const report = JSON.parse(result.stdout) as { ok: boolean; checks: Array<{ name: string; status: string }> };
    expect(report.ok).toBe(false);
    expect(report.checks.find((check) => check.name === 'database')?.status).toBe('fail');
    expect(result.stderr).toContain(`"${missing}"`);
    expect(archiveFiles(directory)).toEqual([]);
  });

  it('a missing database exits 2 naming it and leaves no file', () => {
    const missing = uniqueName('dbbackup_cli_missing');
    const directory = emptyDirectory();
    const result = dbbackup(['backup', 'single', missing, '-d', 'postgres', '--backup-dir', directory]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^dbbackup: .*"${missing}" does not exist.*\\n$`));
    expect(archiveFiles(directory)).toEqual([]);
  });

  it('an unreachable server exits 2 naming host:port', () => {
    const directory = emptyDirectory();
    const result = dbbackup([
      'backup',
      'single',
      source,
      '-d',
      'postgres',
      '--host',
      '127.0.0.1',
      '--port',
      '1',
      '--backup-dir',
      directory,
    ]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('127.0.0.1:1');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(archiveFiles(directory)).toEqual([]);
  });

  it('refuses --password without echoing it', () => {
    const result = dbbackup(['backup', 'single', source, '-d', 'postgres', '--password', 'hunter2']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--password is not accepted');
    expect(result.stderr).not.toContain('hunter2');
  });

  it('--verify-restore prints every table as matching and drops its temporary database', () => {
    const human = dbbackup([
      'backup',
      'single',
      source,
      '-d',
      'postgres',
      '--backup-dir',
      emptyDirectory(),
      '--verify-restore',
    ]);
    expect(human.status).toBe(0);
    expect(human.stdout).toContain('verify-restore: all 3 tables match');
    expect(human.stdout).toMatch(/^public\.users +3000 +3000 +ok +ok$/m);
    expect(human.stdout).toMatch(/^public\.payments +2000 +2000 +ok +ok$/m);

    const json = dbbackup([
      'backup',
      'single',
      source,
      '-d',
      'postgres',
      '--backup-dir',
      emptyDirectory(),
      '--verify-restore',
      '--format',
      'json',
    ]);
    expect(json.status).toBe(0);
    const report = JSON.parse(json.stdout) as {
      verify_restore: { ok: boolean; database: string; tables: Array<{ name: string; ok: boolean }> };
    };
    expect(report.verify_restore.ok).toBe(true);
    expect(report.verify_restore.tables.map((table) => table.name).sort()).toEqual([
      'empty_table',
      'payments',
      'users',
    ]);
    expect(report.verify_restore.database).toMatch(/^dbbackup_verify_/);
    expect(databaseExists(report.verify_restore.database)).toBe(false);
  });
});

describe('dbbackup verify-backup', () => {
  it('exits 0 for a complete backup, also with --deep, and reports members and rows', () => {
    const plain = dbbackup(['verify-backup', backup.path as string]);
    expect(plain.status).toBe(0);
    expect(plain.stdout).toMatch(/^result +ok/m);

    const deep = dbbackup(['verify-backup', backup.path as string, '--deep', '--format', 'json']);
    expect(deep.status).toBe(0);
    const report = JSON.parse(deep.stdout) as Record<string, unknown>;
    expect(Object.keys(report).sort()).toEqual(
      ['path', 'ok', 'members', 'data_members', 'rows', 'deep', 'engine', 'database', 'created_at'].sort(),
    );
    expect(report).toMatchObject({ ok: true, deep: true, rows: 5000, engine: 'postgresql', database: source });
  });
});

describe('dbbackup restore single', () => {
  it('--create restores every row into a new database and prints the JSON fields', () => {
    const target = targetName('copy');
    const result = dbbackup([
      'restore',
      'single',
      backup.path as string,
      '--target',
      target,
      '--create',
      '--jobs',
      '2',
      '--format',
      'json',
    ]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(Object.keys(report).sort()).toEqual(
      [
        'database',
        'created',
        'mode',
        'tables',
        'rows',
        'duration_ms',
        'critical_tables',
        'critical_ready_ms',
        'warnings',
        'source',
      ].sort(),
    );
    expect(report).toMatchObject({
      database: target,
      created: true,
      mode: 'safe',
      rows: 5000,
      critical_ready_ms: null,
    });
    expect(sampleFingerprints(target)).toEqual(expected);
  });

  it('--tiered-restore reports when the critical tables were usable', () => {
    const target = targetName('tiered');
    const result = dbbackup([
      'restore',
      'single',
      backup.path as string,
      '--target',
      target,
      '--create',
      '--tiered-restore',
      '--critical-tables',
      'user*',
      '--restore-mode',
      'turbo',
    ]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^critical +public\.users usable after \d+\.\d s$/m);
    expect(sampleFingerprints(target)).toEqual(expected);
  });

  it('refuses a non-empty existing target without --confirm and leaves it untouched; --clean --confirm replaces it', () => {
    const target = targetName('existing');
    createDatabase(target);
    psql(target, 'CREATE TABLE keep (x int); INSERT INTO keep VALUES (42);');

    const refused = dbbackup(['restore', 'single', backup.path as string, '--target', target]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('--confirm');
    expect(tableFingerprint(target, 'keep')).toBe(tableFingerprint('postgres', '(SELECT 42 AS x)'));
    expect(psql(target, `SELECT count(*) FROM pg_tables WHERE schemaname = 'public'`)).toBe('1');

    const cleanWithout = dbbackup(['restore', 'single', backup.path as string, '--target', target, '--clean']);
    expect(cleanWithout.status).toBe(2);
    expect(cleanWithout.stderr).toContain('--confirm');

    const replaced = dbbackup(['restore', 'single', backup.path as string, '--target', target, '--clean', '--confirm']);
    expect(replaced.status).toBe(0);
    expect(psql(target, `SELECT count(*) FROM pg_tables WHERE tablename = 'keep'`)).toBe('0');
    expect(sampleFingerprints(target)).toEqual(expected);
  });

  it('without --create a missing target is an error that suggests --create', () => {
    const target = targetName('absent');
    const result = dbbackup(['restore', 'single', backup.path as string, '--target', target]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--create');
    expect(databaseExists(target)).toBe(false);
  });

  it('--dry-run reports the plan and creates nothing', () => {
    const target = targetName('dry');
    const result = dbbackup(['restore', 'single', backup.path as string, '--target', target, '--create', '--dry-run']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^archive +ok/m);
    expect(result.stdout).toMatch(/^target +ok +.*would be created/m);
    expect(result.stdout).toContain('nothing was changed');
    expect(databaseExists(target)).toBe(false);
  });

  it('a --db-type that differs from the archive engine is a usage error', () => {
    const result = dbbackup([
      'restore',
      'single',
      backup.path as string,
      '--target',
      targetName('x'),
      '--db-type',
      'mysql',
    ]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--db-type mysql does not match');
  });
});

describe('encrypted backups', () => {
  let encryptedPath: string;
  let keyFile: string;
  let wrongKeyFile: string;

  beforeAll(() => {
    const directory = scratchDirectory();
    keyFile = join(directory, 'backup.key');
    wrongKeyFile = join(directory, 'other.key');
    writeFileSync(keyFile, randomBytes(32));
    writeFileSync(wrongKeyFile, randomBytes(32).toString('base64'));
    chmodSync(keyFile, 0o600);
    chmodSync(wrongKeyFile, 0o600);
    const result = dbbackup([
      'backup',
      'single',
      source,
      '-d',
      'postgres',
      '--backup-dir',
      directory,
      '--encrypt',
      '--encryption-key-file',
      keyFile,
      '--format',
      'json',
    ]);
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as { path: string; encrypted: boolean };
    expect(report.encrypted).toBe(true);
    encryptedPath = report.path;
  });

  it('verifies (also --deep) and restores with the right key file', () => {
    expect(dbbackup(['verify-backup', encryptedPath, '--encryption-key-file', keyFile, '--deep']).status).toBe(0);
    const target = targetName('enc');
    const result = dbbackup([
      'restore',
      'single',
      encryptedPath,
      '--target',
      target,
      '--create',
      '--encryption-key-file',
      keyFile,
    ]);
    expect(result.status).toBe(0);
    expect(sampleFingerprints(target)).toEqual(expected);
  });

  it('a wrong key file exits 2 with "wrong encryption key" before the target is created', () => {
    const target = targetName('wrongkey');
    const result = dbbackup([
      'restore',
      'single',
      encryptedPath,
      '--target',
      target,
      '--create',
      '--encryption-key-file',
      wrongKeyFile,
    ]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('wrong encryption key');
    expect(result.stderr).toContain('--encryption-key-file');
    expect(databaseExists(target)).toBe(false);
  });

  it('a missing key exits 2 naming --encryption-key-file', () => {
    const target = targetName('nokey');
    const restore = dbbackup(['restore', 'single', encryptedPath, '--target', target, '--create']);
    expect(restore.status).toBe(2);
    expect(restore.stderr).toContain('--encryption-key-file');
    expect(databaseExists(target)).toBe(false);
    const verify = dbbackup(['verify-backup', encryptedPath]);
    expect(verify.status).toBe(2);
    expect(verify.stderr).toContain('--encryption-key-file');
  });

  it('--encrypt without a key names both ways to give one', () => {
    const result = dbbackup([
      'backup',
      'single',
      source,
      '-d',
      'postgres',
      '--backup-dir',
      emptyDirectory(),
      '--encrypt',
    ]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--encryption-key-file');
    expect(result.stderr).toContain('DBBACKUP_ENCRYPTION_PASSPHRASE');
  });

  it('a passphrase from DBBACKUP_ENCRYPTION_PASSPHRASE encrypts, and only that passphrase opens the backup', () => {
    const directory = emptyDirectory();
    const env = { DBBACKUP_ENCRYPTION_PASSPHRASE: 'correct horse battery staple' };
    const backupRun = dbbackup(
      ['backup', 'single', source, '-d', 'postgres', '--backup-dir', directory, '--encrypt', '--format', 'json'],
      env,
    );
    expect(backupRun.status).toBe(0);
    const path = (JSON.parse(backupRun.stdout) as { path: string }).path;
    expect(dbbackup(['verify-backup', path], env).status).toBe(0);
    const wrong = dbbackup(['verify-backup', path], { DBBACKUP_ENCRYPTION_PASSPHRASE: 'incorrect' });
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain('wrong encryption key');
  });
});
