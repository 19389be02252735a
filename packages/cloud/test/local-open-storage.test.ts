import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidStorageUriError } from '../src/errors.js';
import { openStorage } from '../src/open-storage.js';
import { patternBuffer, patternStream, readAll } from '../src/testing/pattern-bytes.js';
import { S3RVER_ENV, type S3rverServer, startS3rver } from './servers/s3rver.js';

describe('openStorage', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'dbbackup-open-storage-'));
  });
  afterAll(() => rm(directory, { recursive: true, force: true }));

  it('opens a file:// URI with logging, throttling and retry around the local backend', async () => {
    const lines: string[] = [];
    const opened = await openStorage(`file://${directory}/`, {
      logger: { debug: (message) => lines.push(message) },
      bandwidthLimit: 100 * 1024 * 1024,
    });
    expect(opened).toMatchObject({ prefix: '', uri: `file://${directory}/` });
    expect(opened.backend.kind).toBe('local');
    await opened.backend.put('nightly/a.bin', patternStream(1, 4096));
    expect((await readAll(await opened.backend.get('nightly/a.bin'))).equals(patternBuffer(1, 4096))).toBe(true);
    expect(lines).toContain('storage put');
    await opened.backend.close();
  });

  it('treats a plain path as a local directory', async () => {
    const opened = await openStorage(directory, { retry: false });
    expect(opened.backend.kind).toBe('local');
    expect((await opened.backend.stat('nightly/a.bin')).size).toBe(4096);
  });

  it('refuses options that do not apply to the URI and bad rates', async () => {
    await expect(openStorage(directory, { endpoint: 'http://127.0.0.1:9000' })).rejects.toThrow(InvalidStorageUriError);
    await expect(openStorage('s3://bucket/x/', { sftpKeyFile: '/id_ed25519' })).rejects.toThrow(/sftp:\/\/ URIs/);
    await expect(openStorage(directory, { bandwidthLimit: 0 })).rejects.toThrow(/positive number of bytes/);
    await expect(openStorage('s3://')).rejects.toThrow(InvalidStorageUriError);
  });

  describe('s3:// against s3rver', () => {
    let server: S3rverServer;
    beforeAll(async () => {
      server = await startS3rver('open-storage');
    });
    afterAll(() => server?.stop());

    it('round-trips through the S3 backend with the prefix from the URI', async () => {
      const opened = await openStorage('s3://open-storage/prod/db/', { endpoint: server.endpoint, env: S3RVER_ENV });
      expect(opened).toMatchObject({ prefix: 'prod/db/', uri: 's3://open-storage/prod/db/' });
      expect(opened.backend.kind).toBe('s3');
      const key = `${opened.prefix}x.bin`;
      await opened.backend.put(key, patternStream(2, 10_000));
      expect(
        (await readAll(await opened.backend.get(key, { offset: 100, length: 50 }))).equals(patternBuffer(2, 50, 100)),
      ).toBe(true);
      await opened.backend.delete(key);
      await opened.backend.close();
    });
  });
});
