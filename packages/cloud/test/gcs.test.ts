import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGcsBackend } from '../src/backends/gcs/index.js';
import { mapGcsError } from '../src/backends/gcs/map-gcs-error.js';
import type { StorageBackend } from '../src/storage-backend.js';
import {
  patternBuffer,
  patternChunks,
  patternSha256,
  readAll,
  runConformanceSuite,
  streamDigest,
} from '../src/testing/index.js';
import { type GcsTestServer, startGcsTestServer } from './servers/gcs-test-server/index.js';

const BUCKET = 'dbbackup-test';
const CHUNK_SIZE = 4 * 1024 * 1024;
const LARGE_SIZE = 17 * 1024 * 1024 + 4321;

// Belt and braces: nothing here may look for Google credentials or the GCE metadata server.
delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
delete process.env.STORAGE_EMULATOR_HOST;
process.env.METADATA_SERVER_DETECTION = 'none';

runConformanceSuite('gcs (JSON-API test server)', async () => {
  const server = await startGcsTestServer({ buckets: [BUCKET] });
  return {
    backend: createGcsBackend({ bucket: BUCKET, apiEndpoint: server.endpoint, chunkSize: CHUNK_SIZE }),
    prefix: 'suite/',
    cleanup: () => server.close(),
    dropConnections: () => server.dropConnections(),
    // No wrongCredentials: emulators (this server included) run without auth, so there is nothing to refuse.
  };
});

describe('gcs backend against the JSON-API test server', () => {
  let server: GcsTestServer;
  let backend: StorageBackend;

  beforeAll(async () => {
    server = await startGcsTestServer({ buckets: [BUCKET] });
    backend = createGcsBackend({
      bucket: BUCKET,
      env: { STORAGE_EMULATOR_HOST: server.emulatorHost },
      chunkSize: CHUNK_SIZE,
    });
  });
  afterAll(async () => {
    await backend?.close();
    await server?.close();
  });

  function chunkPuts(key: string): number {
    return server.requests.filter(
      (request) =>
        request.method === 'PUT' && request.query.get('name') === key && request.headers['content-length'] !== '0',
    ).length;
  }

  it('uploads a ~17 MiB generator stream as a resumable upload in more than 3 chunks', async () => {
    const key = 'direct/large.bin';
    const progress: number[] = [];
    const result = await backend.put(key, Readable.from(patternChunks(21, LARGE_SIZE)), {
      onProgress: (bytes) => progress.push(bytes),
    });
    expect(result).toMatchObject({ key, size: LARGE_SIZE });
    expect(result.etag).toMatch(/^\d+$/);
    expect(chunkPuts(key)).toBe(Math.ceil(LARGE_SIZE / CHUNK_SIZE));
    expect(progress).toEqual([CHUNK_SIZE, 2 * CHUNK_SIZE, 3 * CHUNK_SIZE, 4 * CHUNK_SIZE, LARGE_SIZE]);

    const stored = server.store.object(BUCKET, key);
    expect(stored.data.length).toBe(LARGE_SIZE);
    expect(await streamDigest(await backend.get(key))).toEqual({
      sha256: patternSha256(21, LARGE_SIZE),
      size: LARGE_SIZE,
    });
    const info = await backend.stat(key);
    expect(info).toMatchObject({ key, size: LARGE_SIZE, etag: result.etag });

    const across = await readAll(await backend.get(key, { offset: CHUNK_SIZE - 7, length: 14 }));
    expect(across.equals(patternBuffer(21, 14, CHUNK_SIZE - 7))).toBe(true);
    const pastEnd = await readAll(await backend.get(key, { offset: LARGE_SIZE + 10, length: 5 }));
    expect(pastEnd.length).toBe(0);
  });

  it('resends a chunk the server answered with 503 (the SDK retries the chunk, not the object)', async () => {
    const key = 'direct/retried.bin';
    const size = 3 * CHUNK_SIZE + 99;
    let injected = false;
    const result = await backend.put(key, Readable.from(patternChunks(22, size)), {
      onProgress: () => {
        if (!injected) server.failNextRequests(1, 503);
        injected = true;
      },
    });
    expect(result.size).toBe(size);
    expect(await streamDigest(await backend.get(key))).toEqual({ sha256: patternSha256(22, size), size });
    // One chunk was refused and sent again after the SDK asked the server how much it had (`bytes */*`).
    expect(chunkPuts(key)).toBe(Math.ceil(size / CHUNK_SIZE) + 1);
    expect(server.requests.some((request) => request.headers['content-range'] === 'bytes */*')).toBe(true);
  });

  it('fails a whole-object read whose bytes do not match the stored CRC32C', async () => {
    const key = 'direct/corrupted.bin';
    await backend.put(key, Readable.from([patternBuffer(24, 5000)]));
    const stored = server.store.object(BUCKET, key);
    stored.data[1234] = (stored.data[1234] as number) ^ 0xff; // bit rot after the hashes were recorded
    await expect(readAll(await backend.get(key))).rejects.toMatchObject({ name: 'StorageError', backend: 'gcs' });
    // Ranges cannot be validated, so they still read.
    expect((await readAll(await backend.get(key, { offset: 0, length: 10 }))).length).toBe(10);
  });

  it('lists with prefixes across pages', async () => {
    const keys = Array.from({ length: 7 }, (_, index) => `paged/${index % 2 ? 'odd' : 'even'}/${index}.bin`);
    for (const key of keys) await backend.put(key, Readable.from([Buffer.from(key)]));
    const listed: string[] = [];
    for await (const info of backend.list('paged/')) listed.push(info.key);
    expect(listed.sort()).toEqual([...keys].sort());
    const odd: string[] = [];
    for await (const info of backend.list('paged/odd/')) odd.push(info.key);
    expect(odd.sort()).toEqual(keys.filter((key) => key.includes('/odd/')).sort());
  });

  it('cancels the resumable session when the body fails, leaving no object', async () => {
    const key = 'direct/failed.bin';
    async function* failing(): AsyncGenerator<Buffer> {
      yield* patternChunks(23, CHUNK_SIZE + 1000);
      throw new Error('body broke');
    }
    await expect(backend.put(key, Readable.from(failing()))).rejects.toThrow('body broke');
    await expect(backend.stat(key)).rejects.toMatchObject({ name: 'NotFoundError', backend: 'gcs' });
    expect(server.openSessionCount()).toBe(0);
  });

  it('maps 404 to NotFoundError and 403 to an AuthenticationError naming GOOGLE_APPLICATION_CREDENTIALS', async () => {
    await expect(backend.get('nope.bin')).rejects.toMatchObject({
      name: 'NotFoundError',
      code: 'NOT_FOUND',
      key: 'nope.bin',
    });
    await expect(backend.delete('nope.bin')).rejects.toMatchObject({ name: 'NotFoundError' });
    server.failNextRequests(1, 403);
    const error = await backend.stat('direct/large.bin').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'AuthenticationError', code: 'AUTHENTICATION', backend: 'gcs' });
    expect((error as Error).message).toContain('GOOGLE_APPLICATION_CREDENTIALS');
    expect((error as Error).message).toContain('gcs');
  });

  it('rejects a chunkSize that is not a multiple of 256 KiB', () => {
    expect(() => createGcsBackend({ bucket: BUCKET, apiEndpoint: server.endpoint, chunkSize: 1_000_000 })).toThrow(
      /multiple of 256 KiB/,
    );
  });

  it('never contacts the metadata server in emulator mode', async () => {
    let metadataHits = 0;
    const metadata = createServer((_request, response) => {
      metadataHits++;
      response.writeHead(500).end();
    });
    await new Promise<void>((resolve) => metadata.listen(0, '127.0.0.1', resolve));
    const previous = { host: process.env.GCE_METADATA_HOST, detection: process.env.METADATA_SERVER_DETECTION };
    process.env.GCE_METADATA_HOST = `127.0.0.1:${(metadata.address() as AddressInfo).port}`;
    delete process.env.METADATA_SERVER_DETECTION;
    try {
      const emulated = createGcsBackend({ bucket: BUCKET, env: { STORAGE_EMULATOR_HOST: server.endpoint } });
      await emulated.put('meta/probe.bin', Readable.from([Buffer.from('probe')]));
      expect((await readAll(await emulated.get('meta/probe.bin'))).toString()).toBe('probe');
      for await (const _info of emulated.list('meta/')) {
        // draining the listing is the point
      }
      await emulated.delete('meta/probe.bin');
    } finally {
      process.env.GCE_METADATA_HOST = previous.host;
      if (previous.host === undefined) delete process.env.GCE_METADATA_HOST;
      process.env.METADATA_SERVER_DETECTION = previous.detection;
      await new Promise((resolve) => metadata.close(resolve));
    }
    expect(metadataHits).toBe(0);
  });
});

describe('mapGcsError', () => {
  const context = { operation: 'get', bucket: 'b', key: 'k' };
  it('marks 5xx, 429, resets and exhausted SDK retries retryable, and 400 final', () => {
    expect(mapGcsError(Object.assign(new Error('x'), { code: 503 }), context).retryable).toBe(true);
    expect(mapGcsError(Object.assign(new Error('x'), { code: 429 }), context).retryable).toBe(true);
    expect(mapGcsError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), context).retryable).toBe(
      true,
    );
    expect(mapGcsError(new Error('Retry limit exceeded - status: 503'), context).retryable).toBe(true);
    expect(mapGcsError(Object.assign(new Error('bad'), { code: 400 }), context).retryable).toBe(false);
    expect(mapGcsError(Object.assign(new Error('gone'), { response: { status: 404 } }), context)).toMatchObject({
      name: 'NotFoundError',
    });
  });
});
