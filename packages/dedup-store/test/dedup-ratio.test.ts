import { afterAll, describe, expect, it } from 'vitest';
import { collector, createTestStore, removeDirectory, streamOf, type TestStore } from './helpers.js';
import { applyDay, initialTable, renderDump, type TableState } from './synthetic-dump.js';

const stores: TestStore[] = [];
afterAll(async () => {
  for (const { directory } of stores) await removeDirectory(directory);
});

/**
 * A typical OLTP day on a 120k-row table (~16 MB of INSERT lines): 300 new rows, a deleted range of 200, 300 hot
 * rows updated. Each changed place costs one or two chunks (~150 KiB each at the default 128 KiB average), so the
 * fraction a day adds falls as dumps grow; at this size it is 3-7 %.
 */
const DAY = { appendRows: 300, deleteRows: 200, updateRows: 300 };

describe('deduplication of daily dumps', () => {
  it('stores seven daily dumps in at most 1.5x one dump, each later day adding under 10 % of its size', async () => {
    const test = await createTestStore('daily');
    stores.push(test);
    let state: TableState = initialTable(120_000);
    const dumps: Buffer[] = [];
    const results = [];
    for (let day = 0; day < 7; day++) {
      if (day > 0) state = applyDay(state, day, DAY);
      const dump = renderDump(state);
      dumps.push(dump);
      results.push(
        await test.store.backup(streamOf(dump), {
          source: 'shop.sql',
          database: 'shop',
          time: new Date(Date.UTC(2026, 2, 1 + day, 2)),
        }),
      );
    }
    const first = results[0]!;
    const oneDump = dumps[0]!.length;
    const stats = await test.store.stats();
    const figures = {
      dumpBytes: oneDump,
      firstDumpStoredBytes: first.addedBytes,
      newChunkFractionPerDay: results
        .slice(1)
        .map((result, day) => +(result.newChunkBytes / dumps[day + 1]!.length).toFixed(4)),
      uniqueChunkBytes: stats.uniqueChunkBytes,
      storedBytes: stats.storedBytes,
      logicalBytes: stats.logicalBytes,
      ratio: +(stats.ratio ?? 0).toFixed(2),
      chunks: stats.chunks,
      packs: stats.packs,
    };
    console.log(`dedup figures: ${JSON.stringify(figures)}`);

    // Deduplication alone (plain bytes of distinct chunks) and what is actually stored (compressed, with index).
    expect(stats.uniqueChunkBytes).toBeLessThanOrEqual(1.5 * oneDump);
    expect(stats.storedBytes).toBeLessThanOrEqual(1.5 * first.addedBytes);
    for (const result of results.slice(1)) expect(result.newChunkBytes).toBeLessThanOrEqual(0.1 * result.snapshot.size);
    expect(stats).toMatchObject({ snapshots: 7, logicalBytes: dumps.reduce((sum, dump) => sum + dump.length, 0) });

    // The first and the last day restore exactly (the others share almost all their chunks with them).
    for (const day of [0, 6]) {
      const { sink, bytes } = collector();
      await test.store.restore(results[day]!.snapshot.id, sink);
      expect(bytes().equals(dumps[day]!)).toBe(true);
    }
  });
});
