import { createHash, randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import {
  AmbiguousSnapshotIdError,
  SnapshotNotFoundError,
  StoreAlreadyInitialisedError,
  StoreNotInitialisedError,
} from '../src/errors.js';
import { initStore, openOrInitStore, openStore } from '../src/store/open-store.js';
import { collector, createTestStore, listFiles, removeDirectory, streamOf, type TestStore } from './helpers.js';
import { initialTable, renderDump } from './synthetic-dump.js';

const stores: TestStore[] = [];
afterAll(async () => {
  for (const { directory } of stores) await removeDirectory(directory);
});

async function roundTrip(test: TestStore, data: Buffer, pieceSize = 65_536) {
  const backup = await test.store.backup(streamOf(data, pieceSize), { source: 'test.sql' });
  const { sink, bytes } = collector();
  const restored = await test.store.restore(backup.snapshot.id, sink);
  expect(bytes().equals(data)).toBe(true);
  expect(restored.bytes).toBe(data.length);
  return backup;
}

describe('backup and restore', () => {
  it('restores byte-identical: empty input, less than one chunk, a multi-pack stream with repeated blocks', async () => {
    const test = await createTestStore('roundtrip', { packSize: 1024 * 1024 });
    stores.push(test);

    const empty = await roundTrip(test, Buffer.alloc(0));
    expect(empty.snapshot).toMatchObject({ size: 0, chunkCount: 0 });
    expect(empty.snapshot.sha256).toBe(createHash('sha256').digest('hex'));

    const small = await roundTrip(test, Buffer.from('SELECT 1;\n'));
    expect(small.snapshot.chunkCount).toBe(1);

    // A repeat dedups from the first cut inside it on (the chunks before that differ): with 2 MB blocks and chunks
    // of at most 512 KiB, each of the two repeats saves well over half a block.
    const block = randomBytes(2_000_000);
    const large = Buffer.concat([randomBytes(3_000_000), block, randomBytes(500_000), block, block]);
    const result = await roundTrip(test, large, 100_003);
    expect(result.packs).toBeGreaterThan(2);
    const packFiles = await listFiles(test.directory, 'data');
    expect(packFiles.length).toBeGreaterThan(2);
    expect(result.newChunkBytes).toBeLessThan(large.length - block.length);
  });

  it('lists snapshots with their metadata and resolves ids by prefix and "latest"', async () => {
    const test = await createTestStore('list');
    stores.push(test);
    const first = await test.store.backup(streamOf(Buffer.from('one')), {
      source: '/backups/shop.sql',
      database: 'shop',
      engine: 'postgres',
      tags: ['nightly'],
      meta: { server: '15.4' },
      time: new Date('2026-01-01T00:00:00Z'),
    });
    const second = await test.store.backup(streamOf(Buffer.from('two')), { source: '-' });
    const list = await test.store.listSnapshots();
    expect(list.map((snapshot) => snapshot.id)).toEqual([first.snapshot.id, second.snapshot.id]);
    expect(list[0]).toMatchObject({
      source: '/backups/shop.sql',
      database: 'shop',
      engine: 'postgres',
      created: '2026-01-01T00:00:00.000Z',
      size: 3,
      tags: ['nightly'],
      meta: { server: '15.4' },
    });
    expect((await test.store.findSnapshot(first.snapshot.id.slice(0, 8))).id).toBe(first.snapshot.id);
    expect((await test.store.findSnapshot('latest')).id).toBe(second.snapshot.id);
    await expect(test.store.findSnapshot('ffffffffffff0000')).rejects.toBeInstanceOf(SnapshotNotFoundError);
    await expect(test.store.findSnapshot('not-hex')).rejects.toBeInstanceOf(SnapshotNotFoundError);
    // An empty id names nothing (it would be a prefix of every id).
    await expect(test.store.findSnapshot('')).rejects.toThrow(SnapshotNotFoundError);
  });

  it('reports an ambiguous prefix with the candidates', async () => {
    const test = await createTestStore('ambiguous');
    stores.push(test);
    const ids: string[] = [];
    // Enough snapshots that two share a first hex digit.
    for (let n = 0; n < 17; n++)
      ids.push((await test.store.backup(streamOf(Buffer.from(`snapshot ${n}`)), { source: 's' })).snapshot.id);
    const shared = ids.map((id) => id[0]!).find((digit, index, all) => all.indexOf(digit) !== index)!;
    const error = await test.store.findSnapshot(shared).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AmbiguousSnapshotIdError);
    expect((error as AmbiguousSnapshotIdError).message).toMatch(/give more characters/);
  });

  it('streams a snapshot as a Readable and stores a dump compressed', async () => {
    const test = await createTestStore('stream');
    stores.push(test);
    const dump = renderDump(initialTable(20_000));
    const backup = await test.store.backup(streamOf(dump), { source: 'orders.sql' });
    expect(backup.addedBytes).toBeLessThan(dump.length / 2); // zstd on SQL text
    const { snapshot, stream } = await test.store.openSnapshotStream(backup.snapshot.id.slice(0, 10));
    expect(snapshot.id).toBe(backup.snapshot.id);
    const pieces: Buffer[] = [];
    for await (const piece of stream) pieces.push(piece as Buffer);
    expect(Buffer.concat(pieces).equals(dump)).toBe(true);
  });

  it('opens, refuses to re-initialise, and says when there is no store', async () => {
    const test = await createTestStore('open');
    stores.push(test);
    await expect(initStore({ backend: test.backend })).rejects.toBeInstanceOf(StoreAlreadyInitialisedError);
    expect((await openOrInitStore({ backend: test.backend })).created).toBe(false);
    const reopened = await openStore({ backend: test.backend });
    expect(reopened.config.chunker.averageSize).toBe(128 * 1024);

    const empty = await createTestStore('empty-prefix', { prefix: 'inner/' });
    stores.push(empty);
    const error = await openStore({ backend: empty.backend }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreNotInitialisedError);
    expect((error as Error).message).toContain(empty.directory);
    expect((await openStore({ backend: empty.backend, prefix: 'inner' })).location).toContain('inner/');
  });
});
