import { spawnSync } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { LockLostError, StoreLockedError } from '../src/errors.js';
import { DEFAULT_LOCK_OPTIONS } from '../src/locks/lock-options.js';
import { StoreLock } from '../src/locks/store-lock.js';
import { openStore } from '../src/store/open-store.js';
import { createTestStore, listFiles, removeDirectory, streamOf, type TestStore } from './helpers.js';

const stores: TestStore[] = [];
afterAll(async () => {
  for (const { directory } of stores) await removeDirectory(directory);
});

async function waitFor(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    if (await condition()) return;
    await sleep(25);
  }
  throw new Error(`gave up waiting for ${what}`);
}

async function writeLock(directory: string, name: string, document: Record<string, unknown>): Promise<void> {
  await mkdir(path.join(directory, 'locks'), { recursive: true });
  await writeFile(path.join(directory, 'locks', name), JSON.stringify(document));
}

function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

describe('locks', () => {
  it('gc refuses while a backup holds its shared lock, naming the holder; runs once it is done', async () => {
    const test = await createTestStore('gc-refused');
    stores.push(test);
    const source = new PassThrough();
    const running = test.store.backup(source, { source: 'slow.sql' });
    source.write(Buffer.alloc(100_000, 'x'));
    await waitFor(async () => (await listFiles(test.directory, 'locks')).length === 1, 'the backup lock');

    const error = await test.store.gc().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreLockedError);
    const locked = error as StoreLockedError;
    expect(locked.code).toBe('LOCKED');
    expect(locked.holder).toMatchObject({
      exclusive: false,
      operation: 'backup',
      pid: process.pid,
      hostname: os.hostname(),
    });
    expect(locked.message).toMatch(
      /^cannot start gc: the dedup store at .* is held by a shared lock \(backup\) of host .* pid \d+, refreshed .*; wait for it to finish and retry/,
    );
    expect(locked.message).not.toContain('\n');
    await expect(
      test.store.prune({ kind: 'gfs', keepLast: 1, daily: 0, weekly: 0, monthly: 0, yearly: 0 }),
    ).rejects.toBeInstanceOf(StoreLockedError);

    // Other backups, restores and verify share the lock.
    const other = await test.store.backup(streamOf(Buffer.from('meanwhile')), { source: 'other.sql' });
    expect((await test.store.verify()).ok).toBe(true);

    source.end(Buffer.alloc(100_000, 'y'));
    await running;
    expect(await listFiles(test.directory, 'locks')).toEqual([]);
    const report = await test.store.gc();
    expect(report.snapshots).toBe(2);
    expect(other.snapshot.source).toBe('other.sql');
  });

  it('a backup refuses while gc holds the exclusive lock', async () => {
    const test = await createTestStore('exclusive');
    stores.push(test);
    const scope = {
      backend: test.backend,
      prefix: '',
      location: test.store.location,
      lockOptions: DEFAULT_LOCK_OPTIONS,
    };
    const lock = await StoreLock.acquire(scope, { exclusive: true, operation: 'gc' });
    const error = await test.store
      .backup(streamOf(Buffer.from('x')), { source: 'x' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreLockedError);
    expect((error as Error).message).toMatch(/cannot start backup: .* held by an exclusive lock \(gc\)/);
    await expect(StoreLock.acquire(scope, { exclusive: true, operation: 'prune' })).rejects.toBeInstanceOf(
      StoreLockedError,
    );
    await lock.release();
    await test.store.backup(streamOf(Buffer.from('x')), { source: 'x' });
  });

  it('ignores and clears stale locks: a dead process on this host, or one not refreshed for too long', async () => {
    const test = await createTestStore('stale');
    stores.push(test);
    const base = { exclusive: false, operation: 'backup', username: 'someone' };
    await writeLock(test.directory, 'a'.repeat(32), {
      ...base,
      hostname: os.hostname(),
      pid: deadPid(),
      time: new Date().toISOString(),
    });
    await writeLock(test.directory, 'b'.repeat(32), {
      ...base,
      hostname: 'elsewhere.example',
      pid: 4242,
      time: new Date(Date.now() - DEFAULT_LOCK_OPTIONS.staleAfterMs - 60_000).toISOString(),
    });
    await test.store.gc();
    expect(await listFiles(test.directory, 'locks')).toEqual([]);

    // A fresh lock of a process on another host is respected: we cannot tell whether it is alive.
    await writeLock(test.directory, 'c'.repeat(32), {
      ...base,
      hostname: 'elsewhere.example',
      pid: 4242,
      time: new Date().toISOString(),
    });
    await expect(test.store.gc()).rejects.toThrow(/host elsewhere\.example pid 4242/);
    expect(await test.store.removeStaleLocks()).toEqual([]);
  });

  it('refreshes a held lock: a new lock object with a newer time replaces the old one', async () => {
    const test = await createTestStore('refresh');
    stores.push(test);
    const store = await openStore({ backend: test.backend, lock: { refreshIntervalMs: 20 } });
    const source = new PassThrough();
    const running = store.backup(source, { source: 'slow.sql' });
    await waitFor(async () => (await listFiles(test.directory, 'locks')).length === 1, 'the backup lock');
    const [first] = await listFiles(test.directory, 'locks');
    const firstTime = Date.parse(JSON.parse(await readFile(path.join(test.directory, first!), 'utf8')).time);
    await waitFor(async () => {
      for (const name of await listFiles(test.directory, 'locks')) {
        if (name === first) continue;
        const text = await readFile(path.join(test.directory, name), 'utf8').catch(() => undefined);
        if (text && Date.parse(JSON.parse(text).time) > firstTime) return true;
      }
      return false;
    }, 'a refreshed lock');
    await waitFor(async () => !(await listFiles(test.directory, 'locks')).includes(first!), 'the old lock to go');
    source.end('done');
    await running;
    expect(await listFiles(test.directory, 'locks')).toEqual([]);
  });

  it('a backup whose lock was removed as stale stops before writing its snapshot, even after refreshing it', async () => {
    const test = await createTestStore('lock-lost');
    stores.push(test);
    const store = await openStore({ backend: test.backend, lock: { refreshIntervalMs: 20 } });
    const source = new PassThrough();
    const running = store.backup(source, { source: 'paused.sql' });
    running.catch(() => undefined);
    await waitFor(async () => (await listFiles(test.directory, 'locks')).length === 1, 'the backup lock');
    // What another host's gc does to a lock it considers stale.
    await rm(path.join(test.directory, (await listFiles(test.directory, 'locks'))[0]!));
    await sleep(200); // several refresh ticks: the next one finds its old lock object gone
    source.end(Buffer.alloc(200_000, 'z'));
    const error = await running.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LockLostError);
    expect((error as Error).message).toMatch(/^backup stopped without writing anything further: .* run it again$/);
    expect(await store.listSnapshots()).toEqual([]);
    expect(await listFiles(test.directory, 'locks')).toEqual([]);
  });
});
