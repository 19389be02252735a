/**
 * Issue 6 end to end through the built CLI, against every backend's real local server (s3rver, Azurite, the GCS
 * JSON-API test server, OpenSSH sshd): backup --cloud, cloud list, verify-backup --deep, restore preview and
 * restore single straight from the URI (rows identical to the source), cloud delete. Then, on S3 only: --keep-local,
 * MariaDB, a cluster backup, restore diagnose, an interrupted upload and a wrong key id.
 */
import { type ChildProcess, execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { type OpenedStorage, openStorage } from '@dbbackup/cloud';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  archiveFiles,
  cliEnv,
  createDatabase,
  createSampleDatabase,
  dropDatabase,
  pg,
  removeScratchDirectories,
  SAMPLE_TABLES,
  sampleFingerprints,
  scratchDirectory,
  uniqueName,
} from './backup-restore-fixtures.js';
import { CLOUD_BACKEND_NAMES, type CloudServer, sftpSkipReason, startCloudServer } from './support/cloud-servers.js';
import { type CliProcessResult, runBuiltCliAsync, spawnBuiltCli } from './support/run-built-cli.js';

const execFileAsync = promisify(execFile);
const source = uniqueName('dbbackup_cli_cloud');
const createdPg: string[] = [];
const createdMaria: string[] = [];
let expected: Record<string, string>;

const skipSftp = await sftpSkipReason();
if (skipSftp !== undefined) console.warn(`SFTP cases skipped: ${skipSftp}`);

beforeAll(() => {
  createSampleDatabase(source);
  expected = sampleFingerprints(source);
});

afterAll(() => {
  for (const name of [source, ...createdPg]) dropDatabase(name);
  for (const name of createdMaria) mariadb(`DROP DATABASE IF EXISTS \`${name}\``);
  removeScratchDirectories();
});

function pgTarget(label: string): string {
  const name = uniqueName(`dbbackup_cli_cloud_${label}`);
  createdPg.push(name);
  return name;
}

/** The built CLI's process with the PG test server's environment, in a fresh directory. */
function spawnCli(args: readonly string[], env: Record<string, string>): ChildProcess {
  return spawnBuiltCli(args, { cwd: scratchDirectory(), env: { ...cliEnv, ...env } });
}

/** The CLI without blocking this process: s3rver and the GCS server answer from its event loop. */
function runCli(args: readonly string[], env: Record<string, string>): Promise<CliProcessResult> {
  return runBuiltCliAsync(args, { cwd: scratchDirectory(), env: { ...cliEnv, ...env } });
}

/** The CLI with a server's environment and flags. */
function cliOn(server: CloudServer, args: readonly string[], env: Record<string, string> = {}) {
  return runCli([...args, ...server.flags], { ...server.env, ...env });
}

/** A `--format json` run that must succeed silently; returns its document. */
async function jsonOn<T = Record<string, unknown>>(server: CloudServer, args: readonly string[]): Promise<T> {
  const result = await cliOn(server, [...args, '--format', 'json']);
  expect(result.stderr, `dbbackup ${args.join(' ')}`).toBe('');
  expect(result.status, `dbbackup ${args.join(' ')}`).toBe(0);
  return JSON.parse(result.stdout) as T;
}

async function listedUris(server: CloudServer, folder: string): Promise<string[]> {
  const listing = await jsonOn<{ backups: Array<{ uri: string }> }>(server, ['cloud', 'list', '--cloud', folder]);
  return listing.backups.map((backup) => backup.uri);
}

/** Backs up `args` (a database and its engine flags) to `folder`; checks the report and that nothing stayed local. */
async function backupToCloud(
  server: CloudServer,
  folder: string,
  args: readonly string[],
  backupDir = join(scratchDirectory(), 'backups'),
): Promise<{ report: Record<string, unknown>; cloudUri: string }> {
  const report = await jsonOn(server, [...args, '--backup-dir', backupDir, '--cloud', folder]);
  const cloudUri = report.cloud_uri;
  expect(typeof cloudUri).toBe('string');
  expect(cloudUri as string).toMatch(/\.dbb\.tar$/);
  expect((cloudUri as string).startsWith(folder)).toBe(true);
  expect((cloudUri as string).slice(folder.length)).not.toContain('/');
  return { report, cloudUri: cloudUri as string };
}

async function withStorage<T>(server: CloudServer, folder: string, use: (opened: OpenedStorage) => Promise<T>) {
  const opened = await openStorage(folder, server.storageOptions);
  try {
    return await use(opened);
  } finally {
    await opened.backend.close();
  }
}

async function sha256OfStream(stream: NodeJS.ReadableStream): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

// The backends run side by side (each its own server and folder); the steps of one backend run in order.
describe.concurrent.each(CLOUD_BACKEND_NAMES)('%s: backup --cloud, list, verify, preview, restore, delete', (name) => {
  const skipped = name === 'sftp' && skipSftp !== undefined;
  const step = skipped ? it.skip : it.sequential;
  let server: CloudServer;
  let cloudUri: string | undefined;

  beforeAll(async () => {
    if (!skipped) server = await startCloudServer(name);
  });
  afterAll(async () => {
    if (!skipped) await server?.stop();
  });

  function backedUp(): string {
    if (cloudUri === undefined) throw new Error('the backup to the cloud failed (first case): nothing to test');
    return cloudUri;
  }

  step('backup single --cloud uploads <database>-<stamp>.dbb.tar and keeps nothing local', async () => {
    const backupDir = join(scratchDirectory(), 'backups');
    const { report, cloudUri: uri } = await backupToCloud(
      server,
      server.uri,
      ['backup', 'single', source, '-d', 'postgres'],
      backupDir,
    );
    expect(uri).toMatch(new RegExp(`/${source}-\\d{8}T\\d{6}Z\\.dbb\\.tar$`));
    expect(report).toMatchObject({ database: source, tables: 3, rows: 5000, engine: 'postgresql' });
    expect(archiveFiles(backupDir)).toEqual([]);
    cloudUri = uri;
  });

  step('cloud list shows it', async () => {
    expect(await listedUris(server, server.uri)).toEqual([backedUp()]);
  });

  step('verify-backup --deep reads it in place', async () => {
    const report = await jsonOn(server, ['verify-backup', backedUp(), '--deep']);
    expect(report).toMatchObject({ ok: true, deep: true, rows: 5000, engine: 'postgresql', database: source });
  });

  step('restore preview lists the three tables', async () => {
    const preview = await jsonOn<{ databases: Array<{ tables: Array<{ name: string; rows: number }> }> }>(server, [
      'restore',
      'preview',
      backedUp(),
    ]);
    const tables = Object.fromEntries(preview.databases[0]!.tables.map((table) => [table.name, table.rows]));
    expect(tables).toEqual({ users: 3000, payments: 2000, empty_table: 0 });
  });

  step('restore single --create from the URI gives rows identical to the source', async () => {
    const target = pgTarget(name);
    await jsonOn(server, ['restore', 'single', backedUp(), '--target', target, '--create']);
    expect(sampleFingerprints(target, SAMPLE_TABLES)).toEqual(expected);
  });

  step('cloud delete --confirm removes it from the listing', async () => {
    const result = await cliOn(server, ['cloud', 'delete', backedUp(), '--confirm']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(await listedUris(server, server.uri)).toEqual([]);
  });
});

const maria = {
  host: process.env.MYSQL_HOST ?? '127.0.0.1',
  port: process.env.MYSQL_TCP_PORT ?? '3306',
  user: process.env.MYSQL_USER ?? 'root',
};
const mariaFlags = ['-d', 'mariadb', '--host', maria.host, '--port', maria.port, '--user', maria.user];

function mariadb(sql: string, database?: string): string {
  const args = ['--default-character-set=utf8mb4', '-h', maria.host, '-P', maria.port, '-u', maria.user, '-N', '-B'];
  return execFileSync('mariadb', [...args, '-e', sql, ...(database ? [database] : [])], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

/** CHECKSUM TABLE … EXTENDED of both tables of the MariaDB sample. */
function mariaChecksums(database: string): string {
  return mariadb('CHECKSUM TABLE users, payments EXTENDED', database).replaceAll(`${database}.`, '');
}

// Independent cases, each in its own folder: they run side by side.
describe.concurrent('s3 only', () => {
  let server: CloudServer;

  beforeAll(async () => {
    server = await startCloudServer('s3');
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('--keep-local keeps the archive in --backup-dir, byte for byte the uploaded object', async () => {
    const folder = server.folder('keep');
    const backupDir = join(scratchDirectory(), 'backups');
    const { cloudUri } = await backupToCloud(
      server,
      folder,
      ['backup', 'single', source, '-d', 'postgres', '--keep-local'],
      backupDir,
    );
    const name = cloudUri.slice(folder.length);
    expect(archiveFiles(backupDir)).toEqual([name]);
    const local = await sha256OfStream(createReadStream(join(backupDir, name)));
    const remote = await withStorage(server, folder, async ({ backend, prefix }) =>
      sha256OfStream(await backend.get(`${prefix}${name}`)),
    );
    expect(remote).toBe(local);
  });

  it('catalog sync rebuilds a catalog from the backups in a cloud folder', async () => {
    const folder = server.folder('catalog');
    const { cloudUri } = await backupToCloud(server, folder, ['backup', 'single', source, '-d', 'postgres']);
    const catalog = join(scratchDirectory(), 'rebuilt.db');
    const synced = await jsonOn(server, ['catalog', 'sync', folder, '--catalog', catalog]);
    expect(synced).toMatchObject({ scanned: 1, added: 1, updated: 0, skipped: [] });
    const { backups } = await jsonOn<{ backups: Array<Record<string, unknown>> }>(server, [
      'catalog',
      'list',
      '--catalog',
      catalog,
    ]);
    expect(backups).toEqual([
      expect.objectContaining({
        location: cloudUri,
        database: source,
        engine: 'postgresql',
        status: 'success',
        tables: 2,
        rows: 5000,
      }),
    ]);
  });

  it('a MariaDB backup to S3 restores with identical table checksums', async () => {
    const database = uniqueName('dbb_cli_cloud_my');
    const copy = `${database}_copy`;
    createdMaria.push(database, copy);
    mariadb(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    mariadb(
      `SET SESSION max_recursive_iterations = 10000;
       CREATE TABLE users (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL, email VARCHAR(100) NULL,
         score DOUBLE, blob_value VARBINARY(16)) ENGINE=InnoDB;
       INSERT INTO users (name, email, score, blob_value)
         WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 2000)
         SELECT CONCAT('user ', n, IF(n % 7 = 0, ' Zoë ☃ 😀', '')), IF(n % 5 = 0, NULL, CONCAT('u', n, '@example.com')),
                n / 3, UNHEX(LPAD(HEX(n), 8, '0')) FROM g;
       CREATE TABLE payments (id BIGINT PRIMARY KEY, user_id INT NOT NULL, memo TEXT,
         FOREIGN KEY (user_id) REFERENCES users (id)) ENGINE=InnoDB;
       INSERT INTO payments WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 1500)
         SELECT n, 1 + n % 2000, CONCAT('line\\nbreak\\ttab ', n) FROM g;`,
      database,
    );
    const folder = server.folder('maria');
    const { report, cloudUri } = await backupToCloud(server, folder, ['backup', 'single', database, ...mariaFlags]);
    expect(report).toMatchObject({ database, rows: 3500, engine: 'mariadb' });
    await jsonOn(server, ['restore', 'single', cloudUri, '--target', copy, '--create', ...mariaFlags]);
    expect(mariaChecksums(copy)).toBe(mariaChecksums(database));
  });

  it('a cluster backup to S3: restore diagnose passes, restore single --source-database restores one database', async () => {
    const folder = server.folder('cluster');
    const { report, cloudUri } = await backupToCloud(server, folder, [
      'backup',
      'cluster',
      '-d',
      'postgres',
      '--databases',
      source,
    ]);
    expect(report).toMatchObject({ database: null, databases: [source] });
    expect(cloudUri).toMatch(/\/cluster-[^/]+\.dbb\.tar$/);
    expect(await listedUris(server, folder)).toEqual([cloudUri]);

    const diagnosis = await jsonOn(server, ['restore', 'diagnose', cloudUri]);
    expect(diagnosis).toMatchObject({ ok: true, incomplete: false, damaged: [] });

    const target = pgTarget('cluster');
    await jsonOn(server, ['restore', 'single', cloudUri, '--source-database', source, '--target', target, '--create']);
    expect(sampleFingerprints(target)).toEqual(expected);
  });

  it('a backup of a missing database exits 2 and publishes nothing', async () => {
    const folder = server.folder('missing');
    const missing = uniqueName('dbbackup_cli_missing');
    const result = await cliOn(server, ['backup', 'single', missing, '-d', 'postgres', '--cloud', folder]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`"${missing}"`);
    expect(await listedUris(server, folder)).toEqual([]);
  });

  it('an upload stopped with SIGINT exits 130 and leaves nothing cloud list shows, nor any object', async () => {
    const big = pgTarget('big');
    // About 15 MB of archive, several 5 MiB multipart parts: the upload is under way well before it ends.
    createDatabase(big);
    // Asynchronously: the other cases' in-process servers answer on this event loop meanwhile.
    await execFileAsync('psql', [
      ...['-h', pg.host, '-p', pg.port, '-U', pg.user, '-d', big, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c'],
      'CREATE TABLE big AS SELECT g AS id, md5(g::text) AS a, md5((g * 7)::text) AS b FROM generate_series(1, 300000) g',
    ]);
    const folder = server.folder('interrupted');
    // The limit only stretches the upload so that it is surely still running when the signal comes.
    const child = spawnCli(
      ['backup', 'single', big, '-d', 'postgres', '--cloud', folder, '--bandwidth-limit', '2MB/s', ...server.flags],
      server.env,
    );
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
    });
    const exited = once(child, 'exit');
    await withStorage(server, folder, async ({ backend, prefix }) => {
      // A multipart upload in progress is the sign that archive bytes are on their way.
      for (;;) {
        if (child.exitCode !== null) throw new Error(`the backup ended (exit ${child.exitCode}) first: ${stderr}`);
        const uploads = [];
        for await (const upload of backend.listIncompleteUploads!(prefix)) uploads.push(upload);
        if (uploads.length > 0) break;
        await sleep(50);
      }
    });
    child.kill('SIGINT');
    const [code] = (await exited) as [number | null];
    expect(code, stderr).toBe(130);
    expect(stderr).toContain('interrupted by SIGINT');
    expect(await listedUris(server, folder)).toEqual([]);
    const left = await withStorage(server, folder, async ({ backend, prefix }) => {
      const objects: string[] = [];
      for await (const object of backend.list(prefix)) objects.push(object.key);
      const uploads: string[] = [];
      for await (const upload of backend.listIncompleteUploads!(prefix)) uploads.push(upload.key);
      return { objects, uploads };
    });
    expect(left.objects, 'objects left by the interrupted backup').toEqual([]);
    // Else only `cloud cleanup-incomplete` would find it: an aborted put aborts its multipart upload (StorageBackend).
    expect(left.uploads, 'multipart uploads left open by the interrupted backup').toEqual([]);
  });

  it('a wrong access key id exits 2 with one line naming s3', async () => {
    const folder = server.folder('wrongkey');
    const backupDir = join(scratchDirectory(), 'backups');
    const result = await cliOn(
      server,
      ['backup', 'single', source, '-d', 'postgres', '--backup-dir', backupDir, '--cloud', folder],
      { AWS_ACCESS_KEY_ID: 'NOT-A-KEY-ID' },
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^dbbackup: [^\n]*s3[^\n]*\n$/i);
    expect(archiveFiles(backupDir)).toEqual([]);
    expect(await listedUris(server, folder)).toEqual([]);
  });
});
