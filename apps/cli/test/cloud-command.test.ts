/**
 * `dbbackup cloud ...` through the built CLI against real stores: s3rver (in this process, so the CLI runs as an
 * asynchronous child) and an OpenSSH sshd, with a real archive made by `dbbackup backup single` of a throwaway
 * PostgreSQL database.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { createS3Backend } from '@dbbackup/cloud/backends';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3RVER_ENV, type S3rverServer, startS3rver } from '../../../packages/cloud/test/servers/s3rver.js';
import { type SshdServer, sshdAvailable, startSshd } from '../../../packages/cloud/test/servers/sshd.js';
import { cliEnv, createSampleDatabase, dropDatabase, uniqueName } from './backup-restore-fixtures.js';
import { type CliProcessResult, runBuiltCliAsync } from './support/run-built-cli.js';

const withSshd = await sshdAvailable();

interface ListedBackup {
  name: string;
  uri: string;
  size: number;
  sha256: string;
  created_at: string;
  database: string | null;
  engine: string | null;
}

// Each CLI run costs a Node start-up; the cases use separate folders and run at the same time.
describe.concurrent('dbbackup cloud', () => {
  const database = uniqueName('dbb_cli_cloud');
  const work = mkdtempSync(join(tmpdir(), 'dbbackup-cli-cloud-'));
  const backupDir = join(work, 'backups');
  const cwd = join(work, 'cwd');
  let archive = '';
  let s3: S3rverServer;
  let sshd: SshdServer | undefined;

  /** The built CLI as a child process (s3rver answers from this process, so never spawnSync). */
  function dbbackup(args: readonly string[], env: Record<string, string> = {}): Promise<CliProcessResult> {
    return runBuiltCliAsync([...args, '--catalog', join(work, 'catalog.db')], {
      cwd,
      env: { ...cliEnv, ...S3RVER_ENV, ...env },
    });
  }

  async function json<T>(pending: Promise<CliProcessResult>): Promise<T> {
    const result = await pending;
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    return JSON.parse(result.stdout) as T;
  }

  const stores = () => [
    { name: 's3', folder: (sub: string) => `s3://${s3.bucket}/${sub}/`, flags: ['--cloud-endpoint', s3.endpoint] },
    ...(sshd
      ? [
          {
            name: 'sftp',
            folder: (sub: string) => `sftp://root@127.0.0.1:${sshd!.port}${sshd!.dataDirectory}/${sub}/`,
            flags: ['--sftp-key', sshd.userKeyFile, '--sftp-insecure'],
          },
        ]
      : []),
  ];

  beforeAll(async () => {
    mkdirSync(cwd);
    [s3, sshd] = await Promise.all([startS3rver('cli-cloud'), withSshd ? startSshd() : Promise.resolve(undefined)]);
    createSampleDatabase(database);
    const backup = await json<{ path: string }>(
      dbbackup(['backup', 'single', database, '-d', 'postgres', '--backup-dir', backupDir, '--format', 'json']),
    );
    archive = backup.path;
  }, 60_000);

  afterAll(async () => {
    dropDatabase(database);
    await Promise.all([s3?.stop(), sshd?.stop()]);
    rmSync(work, { recursive: true, force: true });
  });

  it.each(['s3', 'sftp'])('uploads, lists, downloads and deletes on %s', async (storeName) => {
    const store = stores().find((candidate) => candidate.name === storeName);
    if (!store) return; // sftp without sshd installed
    const folder = store.folder('roundtrip');
    const uploaded = await json<{ uri: string; database: string; engine: string; sha256: string }>(
      dbbackup(['cloud', 'upload', archive, folder, ...store.flags, '--format', 'json']),
    );
    const name = basename(archive);
    expect(uploaded).toMatchObject({ uri: `${folder}${name}`, database, engine: 'postgresql' });
    // Backups are never overwritten.
    const again = await dbbackup(['cloud', 'upload', archive, folder, ...store.flags]);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('already exists');

    const listed = await json<{ backups: ListedBackup[] }>(
      dbbackup(['cloud', 'list', '--cloud', folder, ...store.flags, '--format', 'json']),
    );
    expect(listed.backups).toEqual([
      expect.objectContaining({ name, uri: `${folder}${name}`, database, engine: 'postgresql' }),
    ]);
    if (storeName === 's3') {
      const table = await dbbackup(['cloud', 'list', '--cloud', folder, ...store.flags]);
      expect(table.stdout).toMatch(/^name\s+size\s+created\s+database\s+engine\n/);
      expect(table.stdout).toContain(name);
    }

    const downloads = join(work, `downloads-${storeName}`);
    mkdirSync(downloads);
    const downloaded = await json<{ file: string; checked: boolean }>(
      dbbackup(['cloud', 'download', listed.backups[0]!.uri, downloads, ...store.flags, '--format', 'json']),
    );
    expect(downloaded).toMatchObject({ file: join(downloads, name), checked: true });
    expect(readFileSync(join(downloads, name)).equals(readFileSync(archive))).toBe(true);
    const overwrite = await dbbackup(['cloud', 'download', listed.backups[0]!.uri, downloads, ...store.flags]);
    expect(overwrite.status).toBe(2);
    expect(overwrite.stderr).toContain('already exists');

    const unconfirmed = await dbbackup(['cloud', 'delete', `${folder}${name}`, ...store.flags]);
    expect(unconfirmed.status).toBe(2);
    expect(unconfirmed.stderr).toContain(`would delete ${folder}${name}`);
    expect(unconfirmed.stderr).toContain('--confirm');
    const deleted = await json<{ deleted: string[] }>(
      dbbackup(['cloud', 'delete', `${folder}${name}`, '--confirm', ...store.flags, '--format', 'json']),
    );
    expect(deleted.deleted).toHaveLength(2);
    expect(deleted.deleted[0]).toMatch(/\.manifest\.json$/);
    const after = await json<{ backups: ListedBackup[] }>(
      dbbackup(['cloud', 'list', '--cloud', folder, ...store.flags, '--format', 'json']),
    );
    expect(after.backups).toEqual([]);
  });

  it('checks access with status, and exits 2 naming the backend when S3 refuses the key', async () => {
    for (const store of stores()) {
      const status = await json<{ ok: boolean; checks: Array<{ check: string; status: string }> }>(
        dbbackup(['cloud', 'status', '--cloud', store.folder('status'), ...store.flags, '--format', 'json']),
      );
      expect(status.ok).toBe(true);
      expect(status.checks.map((check) => `${check.check}:${check.status}`)).toEqual([
        'open:ok',
        'list:ok',
        'write:ok',
        'read:ok',
        'delete:ok',
      ]);
    }
    const refused = await dbbackup(
      ['cloud', 'status', '--cloud', `s3://${s3.bucket}/status/`, '--cloud-endpoint', s3.endpoint],
      { AWS_ACCESS_KEY_ID: 'NOT-A-KEY', AWS_SECRET_ACCESS_KEY: 'wrong' },
    );
    expect(refused.status).toBe(2);
    expect(refused.stdout).toMatch(/list\s+failed/);
    expect(refused.stdout).toMatch(/write\s+skipped/);
    expect(refused.stderr).toMatch(/^dbbackup: cloud storage s3:\/\/cli-cloud: list failed: .*s3/);
  });

  it('syncs a directory: uploads what is missing, skips what is there, --delete removes extras', async () => {
    const folder = `s3://${s3.bucket}/sync/`;
    const flags = ['--cloud', folder, '--cloud-endpoint', s3.endpoint];
    const directory = join(work, 'sync-source');
    mkdirSync(directory);
    copyFileSync(archive, join(directory, basename(archive)));
    writeFileSync(join(directory, 'notes.txt'), 'not a backup\n');
    writeFileSync(join(directory, 'broken-20260101T000000Z.dbb.tar'), 'not a tar at all');
    const extra = join(work, 'extra-20250101T000000Z.dbb.tar');
    copyFileSync(archive, extra);
    await json(dbbackup(['cloud', 'upload', extra, folder, '--cloud-endpoint', s3.endpoint, '--format', 'json']));

    const plan = await json<{ dry_run: boolean; uploaded: Array<{ name: string }>; deleted: unknown[] }>(
      dbbackup(['cloud', 'sync', directory, ...flags, '--dry-run', '--delete', '--format', 'json']),
    );
    expect(plan).toMatchObject({ dry_run: true, uploaded: [{ name: basename(archive) }] });
    expect(plan.deleted).toHaveLength(1);
    const listNames = async () =>
      (await json<{ backups: ListedBackup[] }>(dbbackup(['cloud', 'list', ...flags, '--format', 'json']))).backups
        .map((backup) => `${backup.name} ${backup.database}`)
        .sort();
    expect(await listNames()).toEqual([`${basename(extra)} ${database}`]);

    const first = await json<{
      uploaded: Array<{ name: string }>;
      skipped: Array<{ name: string; reason: string }>;
      deleted: unknown[];
    }>(dbbackup(['cloud', 'sync', directory, ...flags, '--format', 'json']));
    expect(first.uploaded.map((entry) => entry.name)).toEqual([basename(archive)]);
    expect(first.skipped.map((entry) => entry.name)).toEqual(['broken-20260101T000000Z.dbb.tar']);
    expect(first.deleted).toEqual([]);

    const second = await json<{
      uploaded: unknown[];
      skipped: Array<{ name: string; reason: string }>;
      deleted: Array<{ name: string }>;
    }>(dbbackup(['cloud', 'sync', directory, ...flags, '--delete', '--format', 'json']));
    expect(second.uploaded).toEqual([]);
    expect(second.skipped).toContainEqual({ name: basename(archive), reason: 'already in the cloud (same size)' });
    expect(second.deleted.map((entry) => entry.name)).toEqual([basename(extra)]);
    expect(await listNames()).toEqual([`${basename(archive)} ${database}`]);
  });

  it('cleanup-incomplete finds an archive without sidecar and removes it only with --confirm', async () => {
    const backend = createS3Backend({ bucket: s3.bucket, endpoint: s3.endpoint, env: S3RVER_ENV });
    const key = 'cleanup/half-20260101T000000Z.dbb.tar';
    try {
      await backend.put(key, Readable.from([Buffer.from('half an upload')], { objectMode: false }));
    } finally {
      await backend.close();
    }
    const flags = ['--cloud', `s3://${s3.bucket}/cleanup/`, '--cloud-endpoint', s3.endpoint];
    type Report = { leftovers: Array<{ kind: string; key: string; action: string }> };
    const recent = await json<Report>(dbbackup(['cloud', 'cleanup-incomplete', ...flags, '--format', 'json']));
    expect(recent.leftovers).toEqual([expect.objectContaining({ key, action: 'kept' })]);
    const listedOnly = await json<Report>(
      dbbackup(['cloud', 'cleanup-incomplete', ...flags, '--min-age', '0', '--format', 'json']),
    );
    expect(listedOnly.leftovers).toEqual([
      expect.objectContaining({ kind: 'archive-without-sidecar', key, action: 'would-remove' }),
    ]);
    const removed = await json<Report>(
      dbbackup(['cloud', 'cleanup-incomplete', ...flags, '--min-age', '0', '--confirm', '--format', 'json']),
    );
    expect(removed.leftovers).toEqual([expect.objectContaining({ key, action: 'removed' })]);
    const clean = await dbbackup(['cloud', 'cleanup-incomplete', ...flags, '--min-age', '0']);
    expect(clean.status).toBe(0);
    expect(clean.stdout).toContain('nothing left behind');
  });
});
