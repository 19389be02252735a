/**
 * `dbbackup cleanup` and `dbbackup retention-simulator` through the built CLI, on copies of one real archive (made by
 * `backup single` of a throwaway PostgreSQL database) named with different UTC stamps, in a directory and on s3rver
 * (in this process, so the CLI runs as an asynchronous child).
 */
import { createReadStream } from 'node:fs';
import { copyFile, mkdtemp, readdir, rm, truncate, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Catalog } from '@dbbackup/catalog';
import { listPublishedBackups, publishBackup } from '@dbbackup/cloud';
import { createS3Backend } from '@dbbackup/cloud/backends';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3RVER_ENV, type S3rverServer, startS3rver } from '../../../packages/cloud/test/servers/s3rver.js';
import { cliEnv, createDatabase, dropDatabase, psql, uniqueName } from './backup-restore-fixtures.js';
import { type CliProcessResult, runBuiltCliAsync } from './support/run-built-cli.js';

interface CleanupEntry {
  location: string;
  database: string | null;
  timestamp: string;
  status: string;
  reasons: string[];
}

interface CleanupReport {
  dry_run: boolean;
  kept: CleanupEntry[];
  deleted: CleanupEntry[];
  failed: CleanupEntry[];
  skipped: Array<{ location: string; reason: string }>;
}

const DAY = 86_400_000;

/** `shop-20261101T000000Z`: the stamp the CLI writes into backup file names. */
function stampOf(time: Date): string {
  return time
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

/** Whole seconds, `daysAgo` days before now (at 03:00:00 UTC, so no boundary is within seconds of now - N days). */
function daysAgo(days: number): Date {
  const today = new Date();
  today.setUTCHours(3, 0, 0, 0);
  if (today.getTime() > Date.now()) today.setTime(today.getTime() - DAY);
  return new Date(today.getTime() - days * DAY);
}

/** A small deterministic generator, so a failing set can be reproduced. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe.concurrent('retention: cleanup and retention-simulator', () => {
  const database = uniqueName('dbb_cli_retention');
  let work = '';
  let archive = '';
  let s3: S3rverServer;

  /** The built CLI as a child process (s3rver answers from this process, so never spawnSync). */
  function dbbackup(args: readonly string[], catalog = join(work, 'unused-catalog.db')): Promise<CliProcessResult> {
    return runBuiltCliAsync([...args, '--catalog', catalog], { cwd: work, env: { ...cliEnv, ...S3RVER_ENV } });
  }

  async function json<T>(pending: Promise<CliProcessResult>): Promise<T> {
    const result = await pending;
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    return JSON.parse(result.stdout) as T;
  }

  /** Copies of the real archive, one per time, named `<db>-<stamp>.dbb.tar`, each with its time as mtime. */
  async function backupDirectory(times: readonly Date[], name = database): Promise<string> {
    const directory = await mkdtemp(join(work, 'dir-'));
    for (const time of times) {
      const path = join(directory, `${name}-${stampOf(time)}.dbb.tar`);
      await copyFile(archive, path);
      await utimes(path, time, time);
    }
    return directory;
  }

  const locations = (entries: readonly CleanupEntry[]) => entries.map((entry) => entry.location).sort();

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'dbbackup-cli-retention-'));
    createDatabase(database);
    psql(
      database,
      'CREATE TABLE t (id int PRIMARY KEY, note text); INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 200) g;',
    );
    s3 = await startS3rver('cli-retention');
    const backup = await json<{ path: string }>(
      dbbackup([
        'backup',
        'single',
        database,
        '-d',
        'postgres',
        '--backup-dir',
        join(work, 'made'),
        '--format',
        'json',
      ]),
    );
    archive = backup.path;
  }, 60_000);

  afterAll(async () => {
    dropDatabase(database);
    await s3?.stop();
    if (work !== '') await rm(work, { recursive: true, force: true });
  });

  it('in a directory: --dry-run lists exactly what the real run deletes, with sidecars and catalog entries', async () => {
    const times = [0, 1, 2, 10, 40, 100].map(daysAgo);
    const directory = await backupDirectory(times);
    const old = join(directory, `${database}-${stampOf(times[5]!)}.dbb.tar`);
    await writeFile(`${old}.verify.json`, '{}');
    const partial = join(directory, `${database}-${stampOf(daysAgo(200))}.dbb.tar.partial`);
    await writeFile(partial, 'being written');
    const catalogPath = join(work, `catalog-${stampOf(new Date())}-dir.db`);
    await json(dbbackup(['catalog', 'sync', directory, '--format', 'json'], catalogPath));
    const policy = ['--retention-days', '30', '--min-backups', '2'];

    const planned = await json<CleanupReport>(
      dbbackup(['cleanup', directory, ...policy, '--dry-run', '--format', 'json']),
    );
    const expectedDeleted = [times[4]!, times[5]!].map((time) =>
      join(directory, `${database}-${stampOf(time)}.dbb.tar`),
    );
    expect(planned.dry_run).toBe(true);
    expect(locations(planned.deleted)).toEqual(expectedDeleted.sort());
    expect(planned.kept).toHaveLength(4);
    // Every copy holds the same manifest: the time comes from the file name's stamp.
    expect(planned.deleted.map((entry) => entry.timestamp).sort()).toEqual(
      [times[5]!, times[4]!].map((time) => time.toISOString()),
    );
    expect(planned.deleted.every((entry) => entry.database === database && entry.reasons.length > 0)).toBe(true);
    expect(planned.skipped.map((file) => file.location)).toEqual([partial]);
    expect((await readdir(directory)).length).toBe(8); // the dry run deleted nothing

    const done = await json<CleanupReport>(
      dbbackup(['cleanup', directory, ...policy, '--format', 'json'], catalogPath),
    );
    expect(locations(done.deleted)).toEqual(locations(planned.deleted));
    expect(locations(done.kept)).toEqual(locations(planned.kept));
    const left = (await readdir(directory)).map((name) => join(directory, name)).sort();
    expect(left).toEqual([...locations(planned.kept), partial].sort()); // sidecar gone too, .partial untouched

    const catalog = await Catalog.open(catalogPath);
    try {
      const recorded = (await catalog.listBackups()).map((record) => record.location).sort();
      expect(recorded).toEqual(locations(planned.kept));
    } finally {
      await catalog.close();
    }

    // The table names every backup with its action.
    const table = await dbbackup(['cleanup', directory, ...policy, '--dry-run']);
    expect(table.status).toBe(0);
    expect(table.stdout).toContain(`${database}:`);
    expect(table.stdout.match(/^KEEP /gm)).toHaveLength(4);
    expect(table.stdout).toContain('would delete 0 backups');
  });

  it('on s3rver: --dry-run lists exactly what the real run deletes (sidecar and archive), and the catalog forgets them', async () => {
    const prefix = `cleanup-${stampOf(new Date())}/`;
    const folder = `s3://${s3.bucket}/${prefix}`;
    const times = [0, 3, 9, 20, 45].map(daysAgo);
    const backend = createS3Backend({ bucket: s3.bucket, endpoint: s3.endpoint, env: S3RVER_ENV });
    try {
      // Every copy's sidecar carries the archive's own start time: the names tell the backups apart.
      for (const time of times) {
        await publishBackup(backend, `${prefix}${database}-${stampOf(time)}.dbb.tar`, createReadStream(archive), {
          manifestSidecar: { database, engine: 'postgresql', createdAt: '2026-01-01T00:00:00.000Z' },
        });
      }
      // Outside the prefix, and in a deeper folder: never touched.
      await publishBackup(backend, `other/${database}-${stampOf(times[4]!)}.dbb.tar`, createReadStream(archive), {
        manifestSidecar: { database },
      });
      await publishBackup(
        backend,
        `${prefix}deeper/${database}-${stampOf(times[4]!)}.dbb.tar`,
        createReadStream(archive),
        {
          manifestSidecar: { database },
        },
      );
      const catalogPath = join(work, `catalog-${stampOf(new Date())}-s3.db`);
      const flags = ['--cloud-endpoint', s3.endpoint];
      await json(dbbackup(['catalog', 'sync', folder, ...flags, '--format', 'json'], catalogPath));
      const policy = ['--gfs', '--keep-last', '2'];

      const planned = await json<CleanupReport>(
        dbbackup(['cleanup', folder, ...policy, ...flags, '--dry-run', '--format', 'json']),
      );
      const uriOf = (time: Date) => `${folder}${database}-${stampOf(time)}.dbb.tar`;
      expect(locations(planned.deleted)).toEqual([times[2]!, times[3]!, times[4]!].map(uriOf).sort());
      expect(locations(planned.kept)).toEqual([times[0]!, times[1]!].map(uriOf).sort());
      expect((await listPublishedBackups(backend, prefix)).length).toBe(6);

      const done = await json<CleanupReport>(
        dbbackup(['cleanup', folder, ...policy, ...flags, '--format', 'json'], catalogPath),
      );
      expect(locations(done.deleted)).toEqual(locations(planned.deleted));
      const keys: string[] = [];
      for await (const object of backend.list('')) keys.push(object.key);
      const underPrefix = keys.filter((key) => key.startsWith(prefix) && !key.startsWith(`${prefix}deeper/`)).sort();
      expect(underPrefix).toEqual(
        [times[0]!, times[1]!]
          .flatMap((time) => {
            const key = `${prefix}${database}-${stampOf(time)}.dbb.tar`;
            return [key, `${key}.manifest.json`];
          })
          .sort(),
      );
      expect(keys.filter((key) => key.startsWith('other/') || key.startsWith(`${prefix}deeper/`))).toHaveLength(4);

      const catalog = await Catalog.open(catalogPath);
      try {
        // catalog sync reads deeper folders too; cleanup never touched that one.
        const recorded = (await catalog.listBackups()).map((record) => record.location).sort();
        expect(recorded).toEqual(
          [...locations(planned.kept), `${folder}deeper/${database}-${stampOf(times[4]!)}.dbb.tar`].sort(),
        );
      } finally {
        await catalog.close();
      }
    } finally {
      await backend.close();
    }
  });

  it('refuses (exit 2) to delete every backup of a database, or to find none, unless --force', async () => {
    const directory = await backupDirectory([5, 6].map(daysAgo));
    // A database whose backups all stopped before their manifest: the policy deletes both, leaving it nothing.
    const ghost = `${database}_ghost`;
    const cutOff = [20, 21].map((days) => join(directory, `${ghost}-${stampOf(daysAgo(days))}.dbb.tar`));
    for (const [index, path] of cutOff.entries()) {
      await copyFile(archive, path);
      await truncate(path, 3 * 512 + 100);
      await utimes(path, daysAgo(20 + index), daysAgo(20 + index));
    }
    const policy = ['--retention-days', '7'];
    for (const extra of [[], ['--dry-run']]) {
      const refused = await dbbackup(['cleanup', directory, ...policy, ...extra]);
      expect(refused.status).toBe(2);
      expect(refused.stdout).toBe('');
      expect(refused.stderr.trim().split('\n')).toHaveLength(1);
      expect(refused.stderr).toContain(`every backup of ${ghost}`);
      expect(refused.stderr).toContain('--force');
    }
    expect(await readdir(directory)).toHaveLength(4);

    const empty = await mkdtemp(join(work, 'empty-'));
    const none = await dbbackup(['cleanup', empty, ...policy]);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/^dbbackup: found no backups in .*--force/);
    const otherDatabase = await dbbackup(['cleanup', directory, ...policy, '--database', 'nope']);
    expect(otherDatabase.status).toBe(2);
    expect(otherDatabase.stderr).toContain('of database nope');

    const forced = await json<CleanupReport>(
      dbbackup(['cleanup', directory, ...policy, '--force', '--format', 'json']),
    );
    expect(locations(forced.deleted)).toEqual(cutOff.sort());
    expect(forced.deleted.every((entry) => entry.status === 'incomplete' && entry.database === ghost)).toBe(true);
    expect(forced.kept).toHaveLength(2);
    expect(await readdir(directory)).toHaveLength(2);
  });

  it('rejects unclear policies with one line (exit 2)', async () => {
    const directory = await mkdtemp(join(work, 'flags-'));
    const cases: Array<[string[], string]> = [
      [[], 'give a retention policy'],
      [['--retention-days', '-3'], "invalid --retention-days '-3'"],
      [['--retention-days', '7d'], "invalid --retention-days '7d'"],
      [['--gfs', '--gfs-daily', '7', '--min-backups', '2'], '--min-backups belongs to the age policy'],
      [['--gfs-daily', '7'], 'add --gfs'],
      [['--gfs', '--gfs-weekly', '1.5'], "invalid --gfs-weekly '1.5'"],
    ];
    const results = await Promise.all(cases.map(([flags]) => dbbackup(['cleanup', directory, ...flags])));
    results.forEach((result, index) => {
      expect(result.status).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain(cases[index]![1]);
    });
  });

  it('the simulator and cleanup --dry-run keep the same backups of the same times', async () => {
    const random = seededRandom(20_261_124);
    const policies = [
      ['--gfs', '--gfs-daily', '5', '--gfs-weekly', '3', '--gfs-monthly', '4', '--gfs-yearly', '1'],
      ['--retention-days', '30', '--min-backups', '3'],
    ];
    const checks = [];
    for (let set = 0; set < 3; set++) {
      const count = 8 + Math.floor(random() * 20);
      const times = new Set<number>();
      while (times.size < count) {
        times.add(Math.floor((Date.now() - 3 * 60_000 - random() * 500 * DAY) / 1000) * 1000);
      }
      const dates = [...times].map((time) => new Date(time));
      checks.push(
        (async () => {
          const directory = await backupDirectory(dates);
          const file = join(directory, 'times.txt');
          await writeFile(file, `# generated set ${set}\n${dates.map((date) => date.toISOString()).join('\n')}\n`);
          for (const policy of policies) {
            const [simulated, planned] = await Promise.all([
              json<{ kept: string[]; deleted: string[] }>(
                dbbackup(['retention-simulator', '--backups-file', file, ...policy, '--format', 'json']),
              ),
              json<CleanupReport>(
                dbbackup(['cleanup', directory, ...policy, '--dry-run', '--force', '--format', 'json']),
              ),
            ]);
            const context = `set ${set}, ${policy.join(' ')}`;
            expect(planned.kept.map((entry) => entry.timestamp).sort(), context).toEqual([...simulated.kept].sort());
            expect(simulated.kept.length + simulated.deleted.length, context).toBe(count);
          }
        })(),
      );
    }
    await Promise.all(checks);
  });

  it('prints a compact simulation: survivors, storage per period, oldest restorable point', async () => {
    const result = await dbbackup([
      'retention-simulator',
      '--days',
      '365',
      '--interval',
      '1h',
      '--gfs',
      '--gfs-daily',
      '7',
      '--gfs-monthly',
      '12',
      '--backup-size',
      '2GB',
    ]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('oldest restorable');
    expect(result.stdout).toContain('storage over time:');
    expect(result.stdout.split('\n').length).toBeLessThan(100);
    const document = await json<{ kept: string[]; deleted: string[]; oldest_restorable: string }>(
      dbbackup(['retention-simulator', '--days', '10', '--retention-days', '3', '--format', 'json']),
    );
    expect(document.kept.length + document.deleted.length).toBe(10);
    expect(document.oldest_restorable).toBe(document.kept.at(-1));
  });
});
