import { Readable } from 'node:stream';
import { CreateMultipartUploadCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Backend } from '../src/backends/s3/index.js';
import { AuthenticationError, NotFoundError, StorageError } from '../src/errors.js';
import type { StorageBackend } from '../src/storage-backend.js';
import {
  patternBuffer,
  patternChunks,
  patternSha256,
  readAll,
  runConformanceSuite,
  streamDigest,
} from '../src/testing/index.js';
import { type DropProxy, startDropProxy } from './servers/drop-proxy.js';
import { S3RVER_ENV, type S3rverServer, startS3rver } from './servers/s3rver.js';

const MiB = 1024 * 1024;

runConformanceSuite('s3 (s3rver)', async () => {
  const server = await startS3rver('conformance');
  const proxy = await startDropProxy(server.port);
  const endpoint = `http://127.0.0.1:${proxy.port}`;
  return {
    backend: createS3Backend({ bucket: server.bucket, endpoint, env: S3RVER_ENV }),
    prefix: 'suite/',
    dropConnections: () => proxy.dropConnections(),
    // s3rver refuses access key ids it does not know (it does not check signatures, so the secret is irrelevant).
    wrongCredentials: async () =>
      createS3Backend({
        bucket: server.bucket,
        endpoint,
        env: { AWS_ACCESS_KEY_ID: 'NOT-A-KEY', AWS_SECRET_ACCESS_KEY: 'not-the-secret' },
      }),
    async cleanup() {
      await proxy.close();
      await server.stop();
    },
  };
});

/** ~21 MiB, not a multiple of the part size: four full 5 MiB parts and a short fifth. */
const LARGE_SIZE = 21 * MiB + 4321;

function generatedBody(seed: number, size: number): Readable {
  return Readable.from(patternChunks(seed, size), { objectMode: false });
}

async function incompleteUploadKeys(backend: StorageBackend, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const upload of backend.listIncompleteUploads!(prefix)) keys.push(upload.key);
  return keys;
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('s3 backend against s3rver', () => {
  let server: S3rverServer;
  let proxy: DropProxy;
  let backend: StorageBackend;

  beforeAll(async () => {
    server = await startS3rver('direct');
    proxy = await startDropProxy(server.port);
    backend = createS3Backend({
      bucket: server.bucket,
      endpoint: `http://127.0.0.1:${proxy.port}`,
      env: S3RVER_ENV,
      partSize: 5 * MiB,
      queueSize: 3,
    });
  });

  afterAll(async () => {
    await backend?.close();
    await proxy?.close();
    await server?.stop();
  });

  it('uploads a 21 MiB generated body in five parts and reads it back whole and by range', async () => {
    const key = 'multipart/large.bin';
    const progress: number[] = [];
    const result = await backend.put(key, generatedBody(1, LARGE_SIZE), {
      onProgress: (bytes) => progress.push(bytes),
    });
    expect(result).toMatchObject({ key, size: LARGE_SIZE });
    // Progress is reported once per acknowledged part.
    expect(progress.length).toBeGreaterThanOrEqual(5);
    expect(progress.at(-1)).toBe(LARGE_SIZE);
    expect(await streamDigest(await backend.get(key))).toEqual({
      sha256: patternSha256(1, LARGE_SIZE),
      size: LARGE_SIZE,
    });
    const across = await readAll(await backend.get(key, { offset: 10 * MiB - 7, length: 14 }));
    expect(across.equals(patternBuffer(1, 14, 10 * MiB - 7))).toBe(true);
    expect(await incompleteUploadKeys(backend, 'multipart/')).toEqual([]);
  });

  it('survives a connection reset in the middle of a part (the SDK retries that part)', async () => {
    const key = 'multipart/reset-midway.bin';
    const resetsBefore = proxy.resets;
    // Parts are 5 MiB, each on its own connection: the first to pass 3 MiB is cut off midway.
    proxy.resetOnceAfter(3 * MiB);
    const result = await backend.put(key, generatedBody(2, 12 * MiB));
    expect(result.size).toBe(12 * MiB);
    expect(proxy.resets).toBe(resetsBefore + 1);
    expect((await streamDigest(await backend.get(key))).sha256).toBe(patternSha256(2, 12 * MiB));
  });

  it('aborts the multipart upload when the body fails after some parts', async () => {
    const key = 'failing/body.bin';
    async function* failing(): AsyncGenerator<Buffer> {
      yield* patternChunks(3, 11 * MiB);
      throw new Error('dump process died');
    }
    const error = await rejectionOf(backend.put(key, Readable.from(failing(), { objectMode: false })));
    expect((error as Error).message).toBe('dump process died');
    await expect(backend.stat(key)).rejects.toBeInstanceOf(NotFoundError);
    expect(await incompleteUploadKeys(backend, 'failing/')).toEqual([]);
  });

  it('stops and aborts the upload when the caller aborts', async () => {
    const key = 'aborted/by-signal.bin';
    const controller = new AbortController();
    const error = await rejectionOf(
      backend.put(key, generatedBody(4, LARGE_SIZE), {
        signal: controller.signal,
        onProgress: (bytes) => {
          if (bytes >= 5 * MiB) controller.abort();
        },
      }),
    );
    expect(error).toMatchObject({ name: 'AbortError' });
    await expect(backend.stat(key)).rejects.toBeInstanceOf(NotFoundError);
    expect(await incompleteUploadKeys(backend, 'aborted/')).toEqual([]);
  });

  it('lists and aborts incomplete uploads left by another client', async () => {
    const client = new S3Client({
      endpoint: server.endpoint,
      forcePathStyle: true,
      region: 'us-east-1',
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    try {
      const started = await client.send(
        new CreateMultipartUploadCommand({ Bucket: server.bucket, Key: 'leftovers/crashed.bin' }),
      );
      const uploads = [];
      for await (const upload of backend.listIncompleteUploads!('leftovers/')) uploads.push(upload);
      expect(uploads).toHaveLength(1);
      expect(uploads[0]).toMatchObject({ key: 'leftovers/crashed.bin', uploadId: started.UploadId });
      expect(uploads[0]!.startedAt).toBeInstanceOf(Date);
      expect(await incompleteUploadKeys(backend, 'elsewhere/')).toEqual([]);
      await backend.abortIncompleteUpload!(uploads[0]!);
      expect(await incompleteUploadKeys(backend, 'leftovers/')).toEqual([]);
      await expect(backend.abortIncompleteUpload!(uploads[0]!)).rejects.toBeInstanceOf(NotFoundError);
    } finally {
      client.destroy();
    }
  });

  it('reads nothing from a range starting at or past the end, and from a zero-length range', async () => {
    const key = 'ranges/small.bin';
    await backend.put(key, generatedBody(5, 100));
    expect((await readAll(await backend.get(key, { offset: 100, length: 10 }))).length).toBe(0);
    expect((await readAll(await backend.get(key, { offset: 500, length: 10 }))).length).toBe(0);
    expect((await readAll(await backend.get(key, { offset: 10, length: 0 }))).length).toBe(0);
    await expect(backend.get('ranges/missing.bin', { offset: 500, length: 10 })).rejects.toBeInstanceOf(NotFoundError);
    await expect(backend.get('ranges/missing.bin', { offset: 0, length: 0 })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('turns a reset connection into a retryable StorageError when the SDK has no attempts left', async () => {
    const once = createS3Backend({
      bucket: server.bucket,
      endpoint: `http://127.0.0.1:${proxy.port}`,
      env: S3RVER_ENV,
      maxAttempts: 1,
    });
    try {
      await once.put('reset/object.bin', generatedBody(8, 10));
      proxy.dropConnections();
      const error = await rejectionOf(once.stat('reset/object.bin'));
      expect(error).toBeInstanceOf(StorageError);
      expect(error).toMatchObject({ backend: 's3', code: 'TRANSIENT', retryable: true });
      // dropConnections breaks the pooled socket and the next new one, so at most one more call can fail.
      await rejectionOf(once.stat('reset/object.bin'));
      expect((await once.stat('reset/object.bin')).size).toBe(10);
    } finally {
      await once.close();
    }
  });

  it('names a missing bucket in a NotFoundError', async () => {
    const missing = createS3Backend({ bucket: 'no-such-bucket', endpoint: server.endpoint, env: S3RVER_ENV });
    try {
      const error = await rejectionOf(missing.get('anything'));
      expect(error).toBeInstanceOf(NotFoundError);
      expect((error as Error).message).toContain('bucket no-such-bucket does not exist');
      const listing = await rejectionOf(readKeys(missing.list('')));
      expect(listing).toBeInstanceOf(NotFoundError);
    } finally {
      await missing.close();
    }
  });

  it('refuses an unknown access key with an AuthenticationError that names the variables, not the secret', async () => {
    const wrong = createS3Backend({
      bucket: server.bucket,
      endpoint: server.endpoint,
      env: { AWS_ACCESS_KEY_ID: 'WRONG-KEY-ID', AWS_SECRET_ACCESS_KEY: 'very-secret-value' },
    });
    try {
      const error = await rejectionOf(wrong.stat('anything'));
      expect(error).toBeInstanceOf(AuthenticationError);
      const message = (error as Error).message;
      expect(message).toMatch(/^s3: /);
      expect(message).toContain('AWS_ACCESS_KEY_ID');
      expect(message).not.toContain('very-secret-value');
      expect(message).not.toContain('WRONG-KEY-ID');
    } finally {
      await wrong.close();
    }
  });

  it('takes the endpoint from AWS_ENDPOINT_URL_S3 in env', async () => {
    const fromEnv = createS3Backend({
      bucket: server.bucket,
      env: { ...S3RVER_ENV, AWS_ENDPOINT_URL_S3: server.endpoint },
    });
    try {
      expect(fromEnv.description).toBe(`s3://${server.bucket}`);
      await fromEnv.put('env/endpoint.bin', generatedBody(7, 10));
      expect((await fromEnv.stat('env/endpoint.bin')).size).toBe(10);
    } finally {
      await fromEnv.close();
    }
  });

  it('reports an unreachable endpoint as a retryable StorageError', async () => {
    const closed = await startDropProxy(server.port);
    const unreachable = `http://127.0.0.1:${closed.port}`;
    await closed.close();
    const offline = createS3Backend({ bucket: server.bucket, endpoint: unreachable, env: S3RVER_ENV, maxAttempts: 1 });
    try {
      const error = await rejectionOf(offline.stat('anything'));
      expect(error).toBeInstanceOf(StorageError);
      expect(error).toMatchObject({ backend: 's3', retryable: true });
    } finally {
      await offline.close();
    }
  });
});

async function readKeys(listing: AsyncIterable<{ key: string }>): Promise<string[]> {
  const keys: string[] = [];
  for await (const info of listing) keys.push(info.key);
  return keys;
}
