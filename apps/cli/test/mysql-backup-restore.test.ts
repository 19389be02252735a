/**
 * The built CLI against the real MariaDB (127.0.0.1:3306, root, empty password; MYSQL_HOST/MYSQL_TCP_PORT/
 * MYSQL_USER override): backup, verify-backup, restore and their refusals. Throwaway databases are created and
 * dropped with the `mariadb` client.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from './backup-restore-fixtures.js';
import { type CliProcessResult, emptyDirectory, runBuiltCli } from './support/run-built-cli.js';

const my = {
  host: process.env.MYSQL_HOST ?? '127.0.0.1',
  port: process.env.MYSQL_TCP_PORT ?? '3306',
  user: process.env.MYSQL_USER ?? 'root',
};

/** The connection as the CLI's own flags, so the test does not depend on which variables the CLI reads. */
const connectionFlags = ['--host', my.host, '--port', my.port, '--user', my.user];

/** Runs SQL with the mariadb client; returns its tab-separated output without headers (trimmed). */
function sql(statements: string, database?: string): string {
  const args = [
    '--default-character-set=utf8mb4',
    '-h',
    my.host,
    '-P',
    my.port,
    '-u',
    my.user,
    '-N',
    '-B',
    '-e',
    statements,
  ];
  return execFileSync('mariadb', database ? [...args, database] : args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

function databaseExists(name: string): boolean {
  return sql(`SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '${name}'`) === '1';
}

function dropDatabase(name: string): void {
  sql(`DROP DATABASE IF EXISTS \`${name}\``);
}

const TABLES = ['users', 'payments', 'empty_table'] as const;

/** A few column types, NULLs, emoji, tabs/newlines/backslashes in text, a foreign key and an empty table. */
function createSampleDatabase(name: string): void {
  sql(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  sql(
    `SET SESSION max_recursive_iterations = 10000;
     CREATE TABLE users (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL, email VARCHAR(100) NULL,
       created DATETIME(3) NOT NULL DEFAULT '2024-01-02 03:04:05.678', score DOUBLE, flags SET('a','b','c'),
       blob_value VARBINARY(16)) ENGINE=InnoDB;
     INSERT INTO users (name, email, score, flags, blob_value)
       WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 2000)
       SELECT CONCAT('user ', n, IF(n % 7 = 0, ' Zoë ☃ 😀', '')), IF(n % 5 = 0, NULL, CONCAT('u', n, '@example.com')),
              n / 3, IF(n % 2 = 0, 'a,c', ''), UNHEX(LPAD(HEX(n), 8, '0')) FROM g;
     CREATE TABLE payments (id BIGINT PRIMARY KEY, user_id INT NOT NULL, amount DECIMAL(12,2),
       memo TEXT, KEY payments_user (user_id), FOREIGN KEY (user_id) REFERENCES users (id)) ENGINE=InnoDB;
     INSERT INTO payments
       WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 1500)
       SELECT n, 1 + n % 2000, n * 1.25, CONCAT('line\\nbreak\\ttab \\\\ ', n) FROM g;
     CREATE TABLE empty_table (id INT, note TEXT);`,
    name,
  );
}

/** CHECKSUM TABLE ... EXTENDED of every sample table, by table name. */
function tableChecksums(database: string): Record<string, string> {
  const lines = sql(`CHECKSUM TABLE ${TABLES.map((table) => `\`${table}\``).join(', ')} EXTENDED`, database);
  return Object.fromEntries(
    lines.split('\n').map((line) => {
      const [qualified, checksum] = line.split('\t');
      return [(qualified as string).split('.').pop(), checksum];
    }),
  );
}

function dbbackup(args: readonly string[]): CliProcessResult {
  return runBuiltCli([...args, ...connectionFlags, '--no-config']);
}

describe('MariaDB through the CLI', () => {
  const source = uniqueName('dbb_cli_my');
  const created: string[] = [source];
  const directory = emptyDirectory;
  // Shared by the tests below, so made here rather than per test.
  const backupDir = mkdtempSync(join(tmpdir(), 'dbbackup-cli-my-'));
  let backup: Record<string, unknown>;
  let sourceChecksums: Record<string, string>;

  function target(suffix: string): string {
    const name = `${source}_${suffix}`;
    created.push(name);
    return name;
  }

  beforeAll(() => {
    createSampleDatabase(source);
    sourceChecksums = tableChecksums(source);
  });

  afterAll(() => {
    for (const name of created) dropDatabase(name);
    rmSync(backupDir, { recursive: true, force: true });
  });

  it('backs up with --db-type mariadb and reports the JSON fields', () => {
    const result = dbbackup([
      'backup',
      'single',
      source,
      '--db-type',
      'mariadb',
      '--backup-dir',
      backupDir,
      '--format',
      'json',
      '--jobs',
      '2',
    ]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    backup = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(backup).toMatchObject({ database: source, tables: 3, rows: 3500, engine: 'mariadb', encrypted: false });
    expect(backup.path).toMatch(new RegExp(`^${backupDir}/${source}-\\d{8}T\\d{6}Z\\.dbb\\.tar$`));
    expect(backup.bytes).toBeGreaterThan(0);
    expect(backup.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(typeof backup.duration_ms).toBe('number');
  });

  it('verify-backup and verify-backup --deep exit 0', () => {
    const plain = runBuiltCli(['verify-backup', backup.path as string, '--no-config']);
    expect(plain.status).toBe(0);
    const deep = runBuiltCli(['verify-backup', backup.path as string, '--deep', '--format', 'json', '--no-config']);
    expect(deep.status).toBe(0);
    expect(JSON.parse(deep.stdout)).toMatchObject({ ok: true, deep: true, engine: 'mariadb', rows: 3500 });
  });

  it('restore --create gives equal CHECKSUM TABLE EXTENDED for every table; a restore mode is warned about', () => {
    const copy = target('copy');
    const result = dbbackup([
      'restore',
      'single',
      backup.path as string,
      '--target',
      copy,
      '--create',
      '--restore-mode',
      'turbo',
      '--format',
      'json',
    ]);
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({ database: copy, created: true, rows: 3500, mode: 'safe' });
    expect(report.warnings).toEqual([expect.stringContaining('restore mode "turbo" has no MySQL/MariaDB equivalent')]);
    expect(result.stderr).toContain('restore mode "turbo" has no MySQL/MariaDB equivalent');
    expect(tableChecksums(copy)).toEqual(sourceChecksums);
  });

  it('ignores PG* variables for a MariaDB archive restored without --db-type', () => {
    const copy = target('pgenv');
    const result = runBuiltCli(['restore', 'single', backup.path as string, '--target', copy, '--create'], {
      env: { PGHOST: 'pg.invalid', PGPORT: '5432', PGUSER: 'postgres', MYSQL_HOST: my.host, MYSQL_TCP_PORT: my.port },
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(tableChecksums(copy)).toEqual(sourceChecksums);
  });

  it('refuses a non-empty target without --confirm and leaves it untouched', () => {
    const busy = target('busy');
    sql(`CREATE DATABASE \`${busy}\`; CREATE TABLE \`${busy}\`.keep (id INT); INSERT INTO \`${busy}\`.keep VALUES (7)`);
    const result = dbbackup(['restore', 'single', backup.path as string, '--target', busy]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('not empty');
    expect(result.stderr).toContain('--confirm');
    expect(sql('SHOW TABLES', busy)).toBe('keep');
    expect(sql('SELECT id FROM keep', busy)).toBe('7');
  });

  it('--db-type must be of the archive family: postgres is refused, mysql accepted for a mariadb archive', () => {
    const refused = dbbackup([
      'restore',
      'single',
      backup.path as string,
      '--target',
      target('pg'),
      '--db-type',
      'postgres',
    ]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('--db-type postgres does not match');
    const accepted = dbbackup([
      'restore',
      'single',
      backup.path as string,
      '--target',
      target('dry'),
      '--create',
      '--db-type',
      'mysql',
      '--dry-run',
    ]);
    expect(accepted.status).toBe(0);
    expect(accepted.stdout).toContain('nothing was changed');
  });

  it('an encrypted backup restored with the wrong key exits 2 and creates nothing', () => {
    const keys = directory();
    const keyFile = join(keys, 'right.key');
    const wrongKeyFile = join(keys, 'wrong.key');
    writeFileSync(keyFile, randomBytes(32));
    writeFileSync(wrongKeyFile, randomBytes(32));
    const encrypted = dbbackup([
      'backup',
      'single',
      source,
      '-d',
      'mariadb',
      '--backup-dir',
      directory(),
      '--encrypt',
      '--encryption-key-file',
      keyFile,
      '--format',
      'json',
    ]);
    expect(encrypted.status).toBe(0);
    const path = (JSON.parse(encrypted.stdout) as { path: string; encrypted: boolean }).path;
    const never = target('wrongkey');
    const wrong = dbbackup([
      'restore',
      'single',
      path,
      '--target',
      never,
      '--create',
      '--encryption-key-file',
      wrongKeyFile,
    ]);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain('wrong encryption key');
    expect(databaseExists(never)).toBe(false);
    const right = target('rightkey');
    const restored = dbbackup([
      'restore',
      'single',
      path,
      '--target',
      right,
      '--create',
      '--encryption-key-file',
      keyFile,
    ]);
    expect(restored.status).toBe(0);
    expect(tableChecksums(right)).toEqual(sourceChecksums);
  });

  it('an unreachable server is named by host:port', () => {
    const result = runBuiltCli([
      'backup',
      'single',
      source,
      '-d',
      'mariadb',
      '--host',
      '127.0.0.1',
      '--port',
      '1',
      '--backup-dir',
      directory(),
      '--no-config',
    ]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('127.0.0.1:1');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a missing database is named', () => {
    const missing = `${source}_missing`;
    const out = directory();
    const result = dbbackup(['backup', 'single', missing, '-d', 'mariadb', '--backup-dir', out]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`"${missing}"`);
  });

  it('--verify-restore matches every table and drops its temporary database', () => {
    const result = dbbackup([
      'backup',
      'single',
      source,
      '-d',
      'mariadb',
      '--backup-dir',
      directory(),
      '--verify-restore',
      '--format',
      'json',
    ]);
    expect(result.status).toBe(0);
    const verify = (
      JSON.parse(result.stdout) as { verify_restore: { ok: boolean; database: string; tables: unknown[] } }
    ).verify_restore;
    expect(verify.ok).toBe(true);
    expect(verify.tables).toHaveLength(TABLES.length);
    expect(verify.database).toMatch(/^dbbackup_verify_/);
    expect(databaseExists(verify.database)).toBe(false);
  });
});
