import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { keepLastPolicy, retentionDaysPolicy } from '../src/maintenance/prune-policies.js';
import { openStore } from '../src/store/open-store.js';
import {
  collector,
  createTestStore,
  listFiles,
  removeDirectory,
  streamOf,
  type TestStore,
  totalSize,
} from './helpers.js';
import { applyDay, initialTable, renderDump } from './synthetic-dump.js';

const stores: TestStore[] = [];
afterAll(async () => {
  for (const { directory } of stores) await removeDirectory(directory);
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 1200 && !condition(); attempt++) await sleep(25);
  expect(condition()).toBe(true);
}

async function restoresTo(test: TestStore, id: string, expected: Buffer): Promise<void> {
  const { sink, bytes } = collector();
  await test.store.restore(id, sink);
  expect(bytes().equals(expected)).toBe(true);
}

describe('gc', () => {
  it('frees the packs of a deleted snapshot and keeps the others restorable', async () => {
    const test = await createTestStore('gc-delete', { packSize: 1024 * 1024 });
    stores.push(test);
    const dump = renderDump(initialTable(15_000));
    const changed = renderDump(applyDay(initialTable(15_000), 1, { appendRows: 100, deleteRows: 50, updateRows: 100 }));
    const noise = randomBytes(3_000_000);
    const a = await test.store.backup(streamOf(dump), { source: 'shop.sql' });
    const b = await test.store.backup(streamOf(noise), { source: 'noise.bin' });
    const c = await test.store.backup(streamOf(changed), { source: 'shop.sql' });
    const deleted = await test.store.deleteSnapshot(b.snapshot.id.slice(0, 12));
    expect(deleted).toMatchObject({ id: b.snapshot.id, snapshot: { source: 'noise.bin' } });
    const sizeBefore = await totalSize(test.directory);
    const dryRun = await test.store.gc({ dryRun: true });
    expect(dryRun.freedBytes).toBeGreaterThan(2_900_000);
    expect(await totalSize(test.directory)).toBe(sizeBefore);

    const report = await test.store.gc();
    expect(report).toMatchObject({ dryRun: false, snapshots: 2, packsRepacked: 0, unindexedPacksDeleted: 0 });
    expect(report.packsDeleted).toBeGreaterThanOrEqual(2);
    expect(report.freedBytes).toBeGreaterThan(2_900_000);
    expect(sizeBefore - (await totalSize(test.directory))).toBeGreaterThan(2_900_000);
    await restoresTo(test, a.snapshot.id, dump);
    await restoresTo(test, c.snapshot.id, changed);
    expect(await test.store.verify({ readData: true })).toMatchObject({ ok: true, warnings: [] });

    const again = await test.store.gc();
    expect(again).toMatchObject({ packsDeleted: 0, packsRepacked: 0, freedBytes: 0 });
  });

  it('repacks a pack whose live bytes fell below half', async () => {
    const test = await createTestStore('gc-repack');
    stores.push(test);
    const data = randomBytes(4_000_000);
    const whole = await test.store.backup(streamOf(data), { source: 'big.bin' });
    // The prefix shares its chunks with `data` up to its last cut (at most 512 KiB before its end): between 1 and
    // 1.5 MB of the 4 MB pack stay needed, under half.
    const prefix = data.subarray(0, 1_500_000);
    const part = await test.store.backup(streamOf(prefix), { source: 'part.bin' });
    await test.store.deleteSnapshot(whole.snapshot.id);

    const report = await test.store.gc();
    expect(report).toMatchObject({ packsRepacked: 1, packsWritten: 1 });
    expect(report.bytesRepacked).toBeGreaterThan(900_000);
    expect(report.freedBytes).toBeGreaterThan(2_000_000);
    await restoresTo(test, part.snapshot.id, prefix);
    expect((await test.store.verify({ readData: true })).ok).toBe(true);
  });
});

describe('prune', () => {
  it('keeps the last N snapshots per source, then collects garbage', async () => {
    const test = await createTestStore('prune');
    stores.push(test);
    let state = initialTable(10_000);
    const dumps: Buffer[] = [];
    const ids: string[] = [];
    for (let day = 0; day < 5; day++) {
      if (day > 0) state = applyDay(state, day, { appendRows: 500, deleteRows: 300, updateRows: 400 });
      dumps.push(renderDump(state));
      const result = await test.store.backup(streamOf(dumps[day]!), {
        source: 'shop.sql',
        time: new Date(Date.UTC(2026, 0, 1 + day)),
      });
      ids.push(result.snapshot.id);
    }
    const other = await test.store.backup(streamOf(Buffer.from('another database')), {
      source: 'crm.sql',
      time: new Date(Date.UTC(2025, 0, 1)),
    });

    const preview = await test.store.prune(keepLastPolicy(2), { dryRun: true });
    expect(preview.delete.map((decision) => decision.snapshot.id)).toEqual([ids[2], ids[1], ids[0]]);
    expect(preview.gc.dryRun).toBe(true);
    expect(await test.store.listSnapshots()).toHaveLength(6);

    const report = await test.store.prune(keepLastPolicy(2));
    expect(report.policy).toMatch(/2/);
    expect(report.keep.map((decision) => decision.snapshot.id).sort()).toEqual(
      [ids[4], ids[3], other.snapshot.id].sort(),
    );
    expect(report.delete).toHaveLength(3);
    expect(report.gc.freedBytes).toBeGreaterThan(0);
    expect((await test.store.listSnapshots()).map((snapshot) => snapshot.id).sort()).toEqual(
      [ids[3], ids[4], other.snapshot.id].sort(),
    );
    await restoresTo(test, ids[3]!, dumps[3]!);
    await restoresTo(test, ids[4]!, dumps[4]!);
    expect((await test.store.verify({ readData: true })).ok).toBe(true);

    // Retention by age: everything older than 1 day before the newest goes, but the newest of each source stays.
    const byAge = await test.store.prune(retentionDaysPolicy(1), { now: new Date(Date.UTC(2026, 0, 5, 12)) });
    expect(byAge.delete.map((decision) => decision.snapshot.id)).toEqual([ids[3]]);
    expect((await test.store.listSnapshots()).map((snapshot) => snapshot.id).sort()).toEqual(
      [ids[4], other.snapshot.id].sort(),
    );
  });
});

describe('two backups at once', () => {
  it('both succeed into one store, and gc then drops the chunks they both wrote', async () => {
    const test = await createTestStore('concurrent');
    stores.push(test);
    const second = await openStore({ backend: test.backend });
    const dump = renderDump(initialTable(15_000));
    const other = Buffer.concat([dump, randomBytes(200_000)]);
    // Both backups have loaded the index (they report progress) before either stores anything: each writes the
    // shared chunks itself.
    const sourceA = new PassThrough();
    const sourceB = new PassThrough();
    const started = { a: false, b: false };
    const runningA = test.store.backup(sourceA, {
      source: 'a.sql',
      onProgress: () => {
        started.a = true;
      },
    });
    const runningB = second.backup(sourceB, {
      source: 'b.sql',
      onProgress: () => {
        started.b = true;
      },
    });
    sourceA.write(dump.subarray(0, 1_000_000));
    sourceB.write(other.subarray(0, 1_000_000));
    await waitFor(() => started.a && started.b);
    sourceB.end(other.subarray(1_000_000));
    const b = await runningB;
    sourceA.end(dump.subarray(1_000_000));
    const a = await runningA;
    expect(await test.store.listSnapshots()).toHaveLength(2);
    expect((await listFiles(test.directory, 'data')).length).toBe(2);
    expect((await test.store.verify({ readData: true })).ok).toBe(true);

    const report = await test.store.gc();
    expect(report.packsDeleted + report.packsRepacked).toBe(1);
    expect(report.freedBytes).toBeGreaterThan(0);
    await restoresTo(test, a.snapshot.id, dump);
    await restoresTo(test, b.snapshot.id, other);
    expect((await test.store.verify({ readData: true })).ok).toBe(true);
  });
});
