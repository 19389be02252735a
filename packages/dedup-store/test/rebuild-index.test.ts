import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MissingChunkError } from '../src/errors.js';
import {
  collector,
  createTestStore,
  flipByte,
  listFiles,
  removeDirectory,
  streamOf,
  type TestStore,
} from './helpers.js';
import { initialTable, renderDump } from './synthetic-dump.js';

const stores: TestStore[] = [];
afterAll(async () => {
  for (const { directory } of stores) await removeDirectory(directory);
});

describe('rebuildIndex', () => {
  it('recovers a store whose index files are lost; gc refuses to run on it until then', async () => {
    const test = await createTestStore('rebuild', { packSize: 1024 * 1024 });
    stores.push(test);
    const dump = renderDump(initialTable(30_000));
    const first = await test.store.backup(streamOf(dump), { source: 'a.sql' });
    await test.store.backup(streamOf(dump.subarray(0, 1_000_000)), { source: 'b.sql' });
    for (const file of await listFiles(test.directory, 'index')) await rm(path.join(test.directory, file));

    const broken = await test.store.verify();
    expect(broken.ok).toBe(false);
    expect(broken.warnings.every((warning) => warning.kind === 'unindexed-pack')).toBe(true);
    expect(broken.errors.some((error) => error.kind === 'missing-chunk')).toBe(true);
    // gc would otherwise delete every (unindexed) pack.
    await expect(test.store.gc()).rejects.toBeInstanceOf(MissingChunkError);
    expect((await listFiles(test.directory, 'data')).length).toBe(broken.warnings.length);

    const report = await test.store.rebuildIndex();
    expect(report).toMatchObject({ packs: broken.warnings.length, damagedPacks: [], indexFilesWritten: 1 });
    expect((await test.store.verify({ readData: true })).ok).toBe(true);
    const { sink, bytes } = collector();
    await test.store.restore(first.snapshot.id, sink);
    expect(bytes().equals(dump)).toBe(true);
  });

  it('leaves a pack with a damaged header out and reports it', async () => {
    const test = await createTestStore('rebuild-damaged');
    stores.push(test);
    await test.store.backup(streamOf(Buffer.alloc(50_000, 'a')), { source: 'a' });
    const pack = (await listFiles(test.directory, 'data'))[0]!;
    await flipByte(path.join(test.directory, pack), -12);
    const report = await test.store.rebuildIndex();
    expect(report.packs).toBe(0);
    expect(report.damagedPacks).toEqual([expect.objectContaining({ packId: path.basename(pack) })]);
    expect(report.damagedPacks[0]!.message).toMatch(/header/);
  });
});
