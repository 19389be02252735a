import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DamagedObjectError, DamagedPackError } from '../src/errors.js';
import { BlobCodec } from '../src/format/blob-codec.js';
import { decodeIndexFile } from '../src/format/index-file.js';
import {
  collector,
  createTestStore,
  flipByte,
  listFiles,
  randomMasterKey,
  removeDirectory,
  streamOf,
  type TestStore,
} from './helpers.js';
import { initialTable, renderDump } from './synthetic-dump.js';

const stores: TestStore[] = [];
afterAll(async () => {
  for (const { directory } of stores) await removeDirectory(directory);
});

const dump = renderDump(initialTable(15_000));

async function onlyPack(test: TestStore): Promise<{ file: string; packId: string }> {
  const packs = await listFiles(test.directory, 'data');
  expect(packs).toHaveLength(1);
  return { file: path.join(test.directory, packs[0]!), packId: path.basename(packs[0]!) };
}

async function firstBlobId(test: TestStore): Promise<string> {
  const indexFile = (await listFiles(test.directory, 'index'))[0]!;
  const packs = decodeIndexFile(
    new BlobCodec(null, 3),
    await readFile(path.join(test.directory, indexFile)),
    indexFile,
  );
  return packs[0]!.blobs[0]!.id.toString('hex');
}

describe('verify', () => {
  it('passes a healthy store, with and without reading data', async () => {
    const test = await createTestStore('verify-ok');
    stores.push(test);
    await test.store.backup(streamOf(dump), { source: 'a.sql' });
    await test.store.backup(streamOf(dump.subarray(1000)), { source: 'b.sql' });
    const quick = await test.store.verify();
    expect(quick).toMatchObject({ ok: true, errors: [], warnings: [], snapshots: 2, readData: false });
    const full = await test.store.verify({ readData: true });
    expect(full).toMatchObject({ ok: true, errors: [], readData: true });
    expect(full.bytesRead).toBeGreaterThan(quick.bytesRead);
  });

  it('names the pack when a byte of its header or trailer flips', async () => {
    const test = await createTestStore('verify-header');
    stores.push(test);
    await test.store.backup(streamOf(dump), { source: 'a.sql' });
    const { file, packId } = await onlyPack(test);

    for (const offset of [-20, -100, -1]) {
      await flipByte(file, offset);
      const report = await test.store.verify();
      expect(report.ok).toBe(false);
      expect(report.errors).toHaveLength(1);
      expect(report.errors[0]).toMatchObject({ kind: 'damaged-pack', packId });
      expect(report.errors[0]!.message).toContain(packId);
      await flipByte(file, offset); // undo
    }
    expect((await test.store.verify()).ok).toBe(true);
  });

  it('with readData names pack and blob when a byte of compressed payload flips; restore refuses it too', async () => {
    const test = await createTestStore('verify-payload');
    stores.push(test);
    const backup = await test.store.backup(streamOf(dump), { source: 'a.sql' });
    const { file, packId } = await onlyPack(test);
    const blobId = await firstBlobId(test);
    await flipByte(file, 100);

    const report = await test.store.verify({ readData: true });
    expect(report.ok).toBe(false);
    expect(report.errors).toEqual([expect.objectContaining({ kind: 'damaged-blob', packId, blobId })]);
    expect(report.errors[0]!.message).toMatch(new RegExp(`pack ${packId} blob ${blobId} is damaged`));

    const error = await test.store.restore(backup.snapshot.id, collector().sink).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DamagedPackError);
    expect(error).toMatchObject({ packId, blobId });
  });

  it('with readData catches a flipped payload byte in an encrypted store', async () => {
    const test = await createTestStore('verify-encrypted', { masterKey: randomMasterKey() });
    stores.push(test);
    await test.store.backup(streamOf(dump), { source: 'a.sql' });
    const { file, packId } = await onlyPack(test);
    await flipByte(file, 5000);
    expect((await test.store.verify()).ok).toBe(true); // headers are intact: only reading data can tell
    const report = await test.store.verify({ readData: true });
    expect(report.errors).toEqual([expect.objectContaining({ kind: 'damaged-blob', packId })]);
    expect(report.errors[0]!.message).toMatch(/fail authentication/);
  });

  it('reports a missing pack and the snapshots that need it', async () => {
    const test = await createTestStore('verify-missing');
    stores.push(test);
    await test.store.backup(streamOf(dump), { source: 'a.sql' });
    const { file, packId } = await onlyPack(test);
    await rm(file);
    const report = await test.store.verify();
    expect(report.errors.map((problem) => problem.kind)).toContain('missing-pack');
    expect(report.errors.find((problem) => problem.kind === 'missing-pack')).toMatchObject({ packId });
    expect(report.errors.some((problem) => problem.kind === 'missing-chunk')).toBe(true);
  });

  it('reports a damaged snapshot; gc refuses until it is deleted', async () => {
    const test = await createTestStore('verify-snapshot');
    stores.push(test);
    const kept = await test.store.backup(streamOf(dump), { source: 'kept.sql' });
    const broken = await test.store.backup(streamOf(Buffer.from('small')), { source: 'broken.sql' });
    await flipByte(path.join(test.directory, 'snapshots', broken.snapshot.id), 10);

    const report = await test.store.verify();
    expect(report.errors).toEqual([
      expect.objectContaining({ kind: 'damaged-snapshot', snapshotId: broken.snapshot.id }),
    ]);
    expect(report.errors[0]!.message).toMatch(/delete that snapshot/);
    await expect(test.store.gc()).rejects.toBeInstanceOf(DamagedObjectError);

    expect(await test.store.deleteSnapshot(broken.snapshot.id.slice(0, 8))).toEqual({
      id: broken.snapshot.id,
      snapshot: null,
    });
    expect((await test.store.gc()).snapshots).toBe(1);
    expect((await test.store.verify({ readData: true })).ok).toBe(true);
    expect((await test.store.listSnapshots()).map((snapshot) => snapshot.id)).toEqual([kept.snapshot.id]);
  });
});
