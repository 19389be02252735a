import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isConfigFileDisabled, resolveConfig } from '../src/config/resolve-config.js';
import { ConfigError } from '../src/errors/cli-errors.js';

const facts = { homeDirectory: '/home/ada', cpuCount: 6 };
// commander always reports the --no-x switches as true unless given.
const noFlags = { config: true, saveConfig: true };

describe('resolveConfig', () => {
  it('uses the defaults when nothing is set', () => {
    const { config, sources, warnings } = resolveConfig(noFlags, {}, null, facts);
    expect(config).toEqual({
      dbType: undefined,
      host: undefined,
      port: undefined,
      user: undefined,
      socket: undefined,
      backupDir: undefined,
      catalog: '/home/ada/.dbbackup/catalog.db',
      cloud: undefined,
      cloudEndpoint: undefined,
      sftpKey: undefined,
      sftpPassword: false,
      sftpInsecure: false,
      keepLocal: false,
      bandwidthLimit: undefined,
      workDir: undefined,
      format: 'table',
      compressionLevel: undefined,
      compressionAlgorithm: 'zstd',
      encrypt: false,
      encryptionKeyFile: undefined,
      jobs: 6,
      dryRun: false,
      debug: false,
      useConfigFile: true,
      saveConfig: true,
      database: undefined,
      password: undefined,
    });
    expect(Object.values(sources).every((origin) => origin.kind === 'default')).toBe(true);
    expect(warnings).toEqual([]);
  });

  it('takes a flag over the environment over the file over the default', () => {
    const file = 'backup-dir = /from/file\n';
    const env = { DBBACKUP_BACKUP_DIR: '/from/env' };
    const flags = { ...noFlags, backupDir: '/from/flag' };

    const fromFlag = resolveConfig(flags, env, file, facts);
    expect(fromFlag.config.backupDir).toBe('/from/flag');
    expect(fromFlag.sources.backupDir).toEqual({ kind: 'flag', flag: '--backup-dir' });

    const fromEnv = resolveConfig(noFlags, env, file, facts);
    expect(fromEnv.config.backupDir).toBe('/from/env');
    expect(fromEnv.sources.backupDir).toEqual({ kind: 'env', variable: 'DBBACKUP_BACKUP_DIR' });

    const fromFile = resolveConfig(noFlags, {}, file, facts);
    expect(fromFile.config.backupDir).toBe('/from/file');
    expect(fromFile.sources.backupDir).toEqual({ kind: 'file', line: 1 });

    expect(resolveConfig(noFlags, {}, null, facts).config.backupDir).toBeUndefined();
  });

  it('prefers DBBACKUP_ variables over the client ones, and those over the file', () => {
    const file = 'host = file-host\nport = 1111\n';
    expect(resolveConfig(noFlags, { DBBACKUP_HOST: 'ours', PGHOST: 'pg' }, file, facts).config.host).toBe('ours');
    const pg = resolveConfig(noFlags, { PGHOST: 'pg', PGPORT: '5433', PGUSER: 'ada', PGDATABASE: 'shop' }, file, facts);
    expect(pg.config).toMatchObject({ host: 'pg', port: 5433, user: 'ada', database: 'shop' });
    expect(pg.sources.port).toEqual({ kind: 'env', variable: 'PGPORT' });
  });

  it('applies PG* variables only to postgres (or no db-type) and MYSQL_* only to mysql/mariadb', () => {
    const env = {
      PGHOST: 'pg-host',
      PGDATABASE: 'pgdb',
      PGPASSWORD: 'pg-secret',
      MYSQL_HOST: 'my-host',
      MYSQL_TCP_PORT: '3307',
      MYSQL_UNIX_PORT: '/run/mysqld/mysqld.sock',
      MYSQL_PWD: 'my-secret',
    };
    const postgres = resolveConfig(noFlags, env, null, facts).config;
    expect(postgres).toMatchObject({ host: 'pg-host', port: undefined, socket: undefined, database: 'pgdb' });
    expect(postgres.password?.reveal()).toBe('pg-secret');

    const maria = resolveConfig({ ...noFlags, dbType: 'mariadb' }, env, null, facts).config;
    expect(maria).toMatchObject({
      host: 'my-host',
      port: 3307,
      socket: '/run/mysqld/mysqld.sock',
      database: undefined,
    });
    expect(maria.password?.reveal()).toBe('my-secret');
  });

  it('lets a db-type from the file choose the client variables', () => {
    const { config } = resolveConfig(noFlags, { MYSQL_HOST: 'my-host', PGHOST: 'pg-host' }, 'db-type = mysql\n', facts);
    expect(config).toMatchObject({ dbType: 'mysql', host: 'my-host' });
  });

  it('keeps the password out of JSON, strings and inspection', () => {
    const { config, sources } = resolveConfig({ ...noFlags, dbType: 'mysql' }, { MYSQL_PWD: 'hunter2' }, null, facts);
    expect(sources.password).toEqual({ kind: 'env', variable: 'MYSQL_PWD' });
    expect(JSON.stringify(config)).not.toContain('hunter2');
    expect(String(config.password)).not.toContain('hunter2');
    expect(inspect(config)).not.toContain('hunter2');
  });

  it('ignores the file with --no-config or DBBACKUP_NO_CONFIG, and then saves nothing either', () => {
    const file = 'backup-dir = /from/file\n';
    const noConfig = resolveConfig({ config: false, saveConfig: true }, {}, file, facts);
    expect(noConfig.config).toMatchObject({ backupDir: undefined, useConfigFile: false, saveConfig: false });
    expect(noConfig.sources.useConfigFile).toEqual({ kind: 'flag', flag: '--no-config' });

    const fromEnv = resolveConfig(noFlags, { DBBACKUP_NO_CONFIG: '1' }, file, facts);
    expect(fromEnv.config).toMatchObject({ backupDir: undefined, useConfigFile: false });
    expect(isConfigFileDisabled(noFlags, { DBBACKUP_NO_CONFIG: 'yes' })).toBe(true);
    expect(isConfigFileDisabled({ config: false }, {})).toBe(true);
    expect(isConfigFileDisabled(noFlags, {})).toBe(false);
  });

  it('--no-save-config and DBBACKUP_NO_SAVE_CONFIG turn saving off', () => {
    expect(resolveConfig({ config: true, saveConfig: false }, {}, null, facts).config.saveConfig).toBe(false);
    expect(resolveConfig(noFlags, { DBBACKUP_NO_SAVE_CONFIG: 'true' }, null, facts).config.saveConfig).toBe(false);
  });

  it('warns about unknown keys (with a suggestion), file-less keys and passwords, without echoing values', () => {
    const file = [
      '# comment',
      'bakup-dir = /x',
      'no-config = true',
      'password = hunter2',
      'host = a',
      'host = b',
      'wallpaper = blue',
    ].join('\n');
    const { config, warnings } = resolveConfig(noFlags, {}, file, facts);
    expect(config.host).toBe('b');
    expect(config.backupDir).toBeUndefined();
    expect(warnings).toEqual([
      ".dbbackup.conf line 2: unknown key 'bakup-dir' ignored (did you mean 'backup-dir'?)",
      ".dbbackup.conf line 3: 'no-config' only works as a flag or environment variable; ignored",
      '.dbbackup.conf line 4: password ignored: passwords are never read from this file; set PGPASSWORD or use ' +
        '~/.pgpass for PostgreSQL, MYSQL_PWD or an option file for MySQL/MariaDB',
      '.dbbackup.conf lines 5 and 6 both set host; line 6 wins',
      ".dbbackup.conf line 7: unknown key 'wallpaper' ignored",
    ]);
    expect(warnings.join('\n')).not.toContain('hunter2');
  });

  it('reads quoted values, switches and integers from the file', () => {
    const file = 'backup-dir = " /with spaces "\nencrypt = yes\njobs = 3\ncompression = 19\nDRY-RUN = on\n';
    const { config } = resolveConfig(noFlags, {}, file, facts);
    expect(config).toMatchObject({
      backupDir: ' /with spaces ',
      encrypt: true,
      jobs: 3,
      compressionLevel: 19,
      dryRun: true,
    });
  });

  it('treats empty environment variables as unset', () => {
    expect(resolveConfig(noFlags, { PGHOST: '', DBBACKUP_JOBS: '' }, null, facts).config).toMatchObject({
      host: undefined,
      jobs: 6,
    });
  });

  it.each([
    [
      { ...noFlags, dbType: 'oracle' },
      {},
      null,
      "invalid --db-type 'oracle': expected one of postgres, mysql, mariadb",
    ],
    [noFlags, { DBBACKUP_DB_TYPE: 'oracle' }, null, "invalid DBBACKUP_DB_TYPE 'oracle': expected one of"],
    [{ ...noFlags, port: '0' }, {}, null, "invalid --port '0': expected an integer from 1 to 65535"],
    [noFlags, { PGPORT: 'five' }, null, "invalid PGPORT 'five': expected an integer from 1 to 65535"],
    [noFlags, {}, 'jobs = 0\n', "invalid jobs '0' in .dbbackup.conf line 1: expected a positive integer; fix the file"],
    [noFlags, { DBBACKUP_ENCRYPT: 'maybe' }, null, "invalid DBBACKUP_ENCRYPT 'maybe': expected true or false"],
    [
      { ...noFlags, compression: '23' },
      {},
      null,
      "invalid --compression '23': expected an integer from 1 to 22 for zstd",
    ],
    [{ ...noFlags, compression: '10', compressionAlgorithm: 'gzip' }, {}, null, 'from 1 to 9 for gzip'],
    [{ ...noFlags, compression: '3', compressionAlgorithm: 'none' }, {}, null, '--compression has no effect'],
    [{ ...noFlags, format: 'yaml' }, {}, null, "invalid --format 'yaml': expected one of table, json"],
    [{ ...noFlags, host: '  ' }, {}, null, 'expected a non-empty value'],
    [noFlags, {}, 'just words\n', ".dbbackup.conf line 1: expected 'key = value'"],
  ])('rejects %j %j %j', (flags, env, file, message) => {
    expect(() => resolveConfig(flags, env, file, facts)).toThrow(ConfigError);
    expect(() => resolveConfig(flags, env, file, facts)).toThrow(message);
  });

  it('drops a remembered compression level when compression is turned off', () => {
    const { config, sources } = resolveConfig(
      { ...noFlags, compressionAlgorithm: 'none' },
      {},
      'compression = 19\n',
      facts,
    );
    expect(config.compressionLevel).toBeUndefined();
    expect(sources.compressionLevel).toEqual({ kind: 'default' });
  });

  it('reads --bandwidth-limit as bytes per second and refuses a rate it cannot read', () => {
    const { config } = resolveConfig({ ...noFlags, bandwidthLimit: '50MB/s' }, {}, null, facts);
    expect(config.bandwidthLimit).toBe(50_000_000);
    const fromEnv = resolveConfig(noFlags, { DBBACKUP_BANDWIDTH_LIMIT: '512KiB/s' }, null, facts);
    expect(fromEnv.config.bandwidthLimit).toBe(524_288);
    expect(() => resolveConfig({ ...noFlags, bandwidthLimit: 'fast' }, {}, null, facts)).toThrow(
      /--bandwidth-limit.*expected a rate such as 50MB\/s/,
    );
  });
});
