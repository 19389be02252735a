import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config/resolve-config.js';
import { saveConfig } from '../src/config/save-config.js';
import { ConfigError } from '../src/errors/cli-errors.js';
import { emptyDirectory } from './support/run-built-cli.js';

const facts = { homeDirectory: '/home/ada', cpuCount: 4 };

const flags = {
  config: true,
  saveConfig: true,
  dbType: 'postgres',
  host: 'db.example',
  port: '5433',
  user: 'backup',
  backupDir: '/var/backups/db',
  compressionAlgorithm: 'gzip',
  compression: '6',
  encrypt: true,
  encryptionKeyFile: '/etc/dbbackup/master.key',
  format: 'json',
  jobs: '3',
};

describe('saveConfig', () => {
  it('writes the flags for connection, storage and compression, and nothing secret', async () => {
    const directory = emptyDirectory();
    const resolution = resolveConfig(
      flags,
      { PGPASSWORD: 'hunter2', PGDATABASE: 'shop', PGUSER: 'env-user' },
      null,
      facts,
    );
    const result = await saveConfig(resolution, { directory });

    expect(result.keys).toEqual([
      'db-type',
      'host',
      'port',
      'user',
      'backup-dir',
      'compression',
      'compression-algorithm',
      'encryption-key-file',
    ]);
    const text = readFileSync(join(directory, '.dbbackup.conf'), 'utf8');
    expect(text).not.toContain('hunter2');
    expect(text).not.toMatch(/^(password|format|jobs|encrypt|database)\s*=/m);
    expect(text).toContain('encryption-key-file = /etc/dbbackup/master.key\n');
    expect(text).toContain('host = db.example\n');

    // Read back, the file gives the same settings.
    const reread = resolveConfig({ config: true, saveConfig: true }, {}, text, facts);
    expect(reread.warnings).toEqual([]);
    expect(reread.config).toMatchObject({
      dbType: 'postgres',
      host: 'db.example',
      port: 5433,
      user: 'backup',
      backupDir: '/var/backups/db',
      compressionLevel: 6,
      compressionAlgorithm: 'gzip',
      encryptionKeyFile: '/etc/dbbackup/master.key',
    });
    expect(reread.sources.host.kind).toBe('file');
  });

  it('does not copy environment values or defaults into the file', async () => {
    const directory = emptyDirectory();
    const resolution = resolveConfig(
      { config: true, saveConfig: true, backupDir: '/b' },
      { PGHOST: 'env-host', DBBACKUP_USER: 'env-user' },
      null,
      facts,
    );
    await saveConfig(resolution, { directory });
    const text = readFileSync(join(directory, '.dbbackup.conf'), 'utf8');
    expect(text).toMatch(/^backup-dir = \/b$/m);
    expect(text).not.toContain('env-host');
    expect(text).not.toContain('env-user');
    expect(text).not.toContain('zstd');
  });

  it('updates keys in place and keeps comments, unknown lines and other keys', async () => {
    const directory = emptyDirectory();
    const path = join(directory, '.dbbackup.conf');
    writeFileSync(path, '# mine\nhost = old-host\njobs = 2\n\n# keep me\nport = 1\n');
    const existing = readFileSync(path, 'utf8');
    const resolution = resolveConfig(
      { config: true, saveConfig: true, host: 'new-host', socket: ' /odd ' },
      {},
      existing,
      facts,
    );
    await saveConfig(resolution, { directory });
    expect(readFileSync(path, 'utf8')).toBe(
      '# mine\nhost = new-host\njobs = 2\n\n# keep me\nport = 1\nsocket = " /odd "\n',
    );
  });

  it('replaces the file atomically: a new inode, no temporary file left', async () => {
    const directory = emptyDirectory();
    const path = join(directory, '.dbbackup.conf');
    writeFileSync(path, 'user = a\n');
    const before = statSync(path).ino;
    const resolution = resolveConfig({ config: true, saveConfig: true, user: 'b' }, {}, 'user = a\n', facts);
    await saveConfig(resolution, { directory });
    expect(statSync(path).ino).not.toBe(before);
    expect(readFileSync(path, 'utf8')).toBe('user = b\n');
    expect(readdirSync(directory)).toEqual(['.dbbackup.conf']);
  });

  it('reports a failed save as a ConfigError and cleans up its temporary file', async () => {
    const directory = emptyDirectory();
    mkdirSync(join(directory, '.dbbackup.conf'));
    const resolution = resolveConfig({ config: true, saveConfig: true, user: 'b' }, {}, null, facts);
    await expect(saveConfig(resolution, { directory })).rejects.toThrow(ConfigError);
    expect(readdirSync(directory)).toEqual(['.dbbackup.conf']);
  });

  it('writes nothing when no remembered setting came from a flag', async () => {
    const directory = emptyDirectory();
    const resolution = resolveConfig({ config: true, saveConfig: true, format: 'json', jobs: '2' }, {}, null, facts);
    expect((await saveConfig(resolution, { directory })).keys).toEqual([]);
    expect(readdirSync(directory)).toEqual([]);
  });

  it('refuses a value that cannot be written on one line', async () => {
    const directory = emptyDirectory();
    const resolution = resolveConfig({ config: true, saveConfig: true, backupDir: '/a\nb' }, {}, null, facts);
    await expect(saveConfig(resolution, { directory })).rejects.toThrow('contains a line break');
    expect(readdirSync(directory)).toEqual([]);
  });
});
