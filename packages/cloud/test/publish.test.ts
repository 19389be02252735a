import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError } from '../src/errors.js';
import {
  deletePublishedBackup,
  listPublishedBackups,
  listUnpublishedObjects,
  publishBackup,
  readBackupSidecar,
} from '../src/publish/index.js';
import type { StorageBackend } from '../src/storage-backend.js';
import { patternBuffer, patternChunks, patternStream } from '../src/testing/pattern-bytes.js';
import { createTempLocalBackend } from './support/temp-local-backend.js';

const keysOf = async (backend: StorageBackend, prefix: string) =>
  (await listPublishedBackups(backend, prefix)).map((backup) => backup.archive.key);

describe('publishBackup / listPublishedBackups / deletePublishedBackup', () => {
  let local: StorageBackend;
  let remove: () => Promise<void>;
  beforeEach(async () => {
    ({ backend: local, remove } = await createTempLocalBackend());
  });
  afterEach(() => remove());

  it('uploads the archive, then a sidecar with size, sha256 and the caller fields', async () => {
    const result = await publishBackup(local, 'prod/shop.dbb.tar', patternStream(1, 300_000), {
      manifestSidecar: { database: 'shop', engine: 'postgresql', createdAt: '2026-01-02T03:04:05.000Z', size: -1 },
    });
    const sha256 = createHash('sha256').update(patternBuffer(1, 300_000)).digest('hex');
    expect(result).toMatchObject({
      key: 'prod/shop.dbb.tar',
      sidecarKey: 'prod/shop.dbb.tar.manifest.json',
      size: 300_000,
      sha256,
    });
    expect(await readBackupSidecar(local, 'prod/shop.dbb.tar')).toEqual({
      key: 'prod/shop.dbb.tar',
      size: 300_000,
      sha256,
      database: 'shop',
      engine: 'postgresql',
      createdAt: '2026-01-02T03:04:05.000Z',
    });
    const [listed] = await listPublishedBackups(local, 'prod/');
    expect(listed?.archive).toMatchObject({ key: 'prod/shop.dbb.tar', size: 300_000 });
    expect(listed?.sidecar.key).toBe('prod/shop.dbb.tar.manifest.json');
  });

  it('lists nothing for an interrupted upload (the body fails midway)', async () => {
    async function* dyingDump(): AsyncGenerator<Buffer> {
      yield* patternChunks(2, 1024 * 1024);
      throw new Error('pg_dump exited with code 1');
    }
    await expect(
      publishBackup(local, 'prod/broken.dbb.tar', Readable.from(dyingDump(), { objectMode: false }), {
        manifestSidecar: { database: 'broken' },
      }),
    ).rejects.toThrow(/pg_dump exited/);
    expect(await keysOf(local, 'prod/')).toEqual([]);
    expect(await listUnpublishedObjects(local, 'prod/')).toEqual([]);
  });

  it('does not list an archive whose sidecar was never written (crash between the two puts)', async () => {
    await publishBackup(local, 'prod/a.dbb.tar', patternStream(3, 100), { manifestSidecar: {} });
    await local.put('prod/b.dbb.tar', patternStream(4, 100)); // as if the process died before the sidecar
    await local.put('prod/gone.dbb.tar.manifest.json', Readable.from([Buffer.from('{}')]));
    expect(await keysOf(local, 'prod/')).toEqual(['prod/a.dbb.tar']);
    expect((await listUnpublishedObjects(local, 'prod/')).map((info) => info.key)).toEqual([
      'prod/b.dbb.tar',
      'prod/gone.dbb.tar.manifest.json',
    ]);
  });

  it('deletes the sidecar first, then the archive', async () => {
    await publishBackup(local, 'prod/c.dbb.tar', patternStream(5, 100), { manifestSidecar: {} });
    const deleted: string[] = [];
    const recording: StorageBackend = {
      ...local,
      delete: async (key) => {
        deleted.push(key);
        await local.delete(key);
      },
    };
    await deletePublishedBackup(recording, 'prod/c.dbb.tar');
    expect(deleted).toEqual(['prod/c.dbb.tar.manifest.json', 'prod/c.dbb.tar']);
    expect(await keysOf(local, 'prod/')).toEqual([]);
    await expect(deletePublishedBackup(local, 'prod/c.dbb.tar')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('withdraws the old sidecar before replacing a backup, and removes the archive if the sidecar fails', async () => {
    await publishBackup(local, 'prod/d.dbb.tar', patternStream(6, 100), { manifestSidecar: { run: 1 } });
    const failingSidecar: StorageBackend = {
      ...local,
      put: async (key, body, options) => {
        if (key.endsWith('.manifest.json')) throw new Error('disk full (injected)');
        return local.put(key, body, options);
      },
    };
    await expect(
      publishBackup(failingSidecar, 'prod/d.dbb.tar', patternStream(7, 200), { manifestSidecar: { run: 2 } }),
    ).rejects.toThrow(/disk full/);
    expect(await keysOf(local, 'prod/')).toEqual([]);
    expect(await listUnpublishedObjects(local, 'prod/')).toEqual([]);
  });
});
