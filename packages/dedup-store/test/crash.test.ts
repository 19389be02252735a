import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { collector, createTestStore, listFiles, removeDirectory, streamOf, type TestStore } from './helpers.js';

const packageDirectory = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stores: TestStore[] = [];
afterAll(async () => {
  for (const { directory } of stores) await removeDirectory(directory);
});

async function waitFor(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 1200; attempt++) {
    if (await condition()) return;
    await sleep(50);
  }
  throw new Error(`gave up waiting for ${what}`);
}

async function expectHealthyAfterInterruption(test: TestStore, earlier: { id: string; data: Buffer }) {
  // No snapshot points at the interrupted backup's data, and nothing that exists is damaged.
  expect((await test.store.listSnapshots()).map((snapshot) => snapshot.id)).toEqual([earlier.id]);
  const report = await test.store.verify({ readData: true });
  expect(report.errors).toEqual([]);

  const gc = await test.store.gc();
  expect((await test.store.verify()).warnings).toEqual([]);
  const { sink, bytes } = collector();
  await test.store.restore(earlier.id, sink);
  expect(bytes().equals(earlier.data)).toBe(true);
  // And the store takes new backups.
  const next = randomBytes(300_000);
  const backup = await test.store.backup(streamOf(next), { source: 'after.bin' });
  const again = collector();
  await test.store.restore(backup.snapshot.id, again.sink);
  expect(again.bytes().equals(next)).toBe(true);
  return { report, gc };
}

describe('interrupted backups', () => {
  it('a backup process killed mid-way leaves a store that verifies; gc removes what it uploaded', async () => {
    const test = await createTestStore('killed', { packSize: 1024 * 1024 });
    stores.push(test);
    const earlierData = randomBytes(500_000);
    const earlier = await test.store.backup(streamOf(earlierData), { source: 'earlier.bin' });
    const packsBefore = (await listFiles(test.directory, 'data')).length;

    const child = spawn(
      process.execPath,
      ['--import', './test/fixtures/resolve-ts.mjs', './test/fixtures/backup-forever.ts', test.directory],
      { cwd: packageDirectory, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (piece: Buffer) => {
      stderr += piece.toString();
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once('exit', (_code, signal) => resolve(signal)),
    );
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`the backup child exited early: ${stderr}`);
      return (await listFiles(test.directory, 'data')).length >= packsBefore + 3;
    }, 'the child to upload three packs');
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(await listFiles(test.directory, 'locks')).toHaveLength(1); // the dead process's lock stays behind

    const { report, gc } = await expectHealthyAfterInterruption(test, { id: earlier.snapshot.id, data: earlierData });
    expect(report.warnings.filter((warning) => warning.kind === 'unindexed-pack').length).toBeGreaterThanOrEqual(3);
    expect(gc.unindexedPacksDeleted).toBeGreaterThanOrEqual(3);
    expect(await listFiles(test.directory, 'locks')).toEqual([]);
  });

  it('an aborted backup writes no snapshot and releases its lock', async () => {
    const test = await createTestStore('aborted', { packSize: 1024 * 1024 });
    stores.push(test);
    const earlierData = randomBytes(200_000);
    const earlier = await test.store.backup(streamOf(earlierData), { source: 'earlier.bin' });

    const controller = new AbortController();
    let produced = 0;
    async function* source(): AsyncGenerator<Buffer> {
      for (;;) {
        const piece = randomBytes(128 * 1024);
        produced += piece.length;
        if (produced > 4_000_000) controller.abort();
        yield piece;
      }
    }
    const error = await test.store
      .backup(Readable.from(source()), { source: 'aborted.bin', signal: controller.signal })
      .catch((caught: unknown) => caught);
    expect((error as Error).name).toBe('AbortError');
    expect(await listFiles(test.directory, 'locks')).toEqual([]);
    await expectHealthyAfterInterruption(test, { id: earlier.snapshot.id, data: earlierData });
  });
});
