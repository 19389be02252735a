/**
 * The conformance suite every StorageBackend runs against its real local server (s3rver, Azurite, the GCS test
 * server, sshd, the filesystem). It registers vitest describe/it blocks; vitest is a peer dependency of this entry.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StorageBackend } from '../storage-backend.js';
import { createReplayableBody } from '../wrappers/replayable-body.js';
import { withRetry } from '../wrappers/with-retry.js';
import { patternBuffer, patternChunks, patternSha256, patternStream, readAll, streamDigest } from './pattern-bytes.js';

export interface ConformanceTarget {
  backend: StorageBackend;
  /** Where the suite may write ('' or ending in '/'); it adds a unique folder of its own below it. */
  prefix: string;
  /** Stops what setup started (server, temp directory); the suite closes `backend` itself before. */
  cleanup(): Promise<void>;
  /** Breaks the backend's open connections (kills server-side sessions / sockets) to test the retry wrapper. */
  dropConnections?(): Promise<void> | void;
  /** A backend of the same kind with wrong credentials; the suite closes it. */
  wrongCredentials?(): Promise<StorageBackend>;
}

/** 16 MiB and a bit: more than three 5 MiB parts (the smallest S3 part), so every multipart backend uses ≥ 4. */
export const MULTIPART_OBJECT_SIZE = 16 * 1024 * 1024 + 12_345;
const PART_BOUNDARY = 5 * 1024 * 1024;
const SMALL_SIZE = 1000;
const LARGE_TIMEOUT_MS = 120_000;
const TIMEOUT_MS = 60_000;

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

async function expectNotFound(promise: Promise<unknown>, backend: StorageBackend): Promise<void> {
  const error = await errorOf(promise);
  expect(error, 'expected the call to reject with NotFoundError').toBeInstanceOf(Error);
  expect(error).toMatchObject({ name: 'NotFoundError', code: 'NOT_FOUND', backend: backend.kind });
}

async function listKeys(backend: StorageBackend, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const info of backend.list(prefix)) keys.push(info.key);
  return keys.sort();
}

/** A body that yields `goodBytes` of pattern, then fails the way a dying pg_dump pipe would. */
function failingBody(goodBytes: number): Readable {
  async function* chunks(): AsyncGenerator<Buffer> {
    yield* patternChunks(7, goodBytes);
    throw new Error('injected body failure (conformance suite)');
  }
  return Readable.from(chunks(), { objectMode: false });
}

/**
 * Registers the conformance tests for one backend. `setup` runs once (beforeAll) and returns the backend under
 * test; every test writes below a unique folder of `prefix`, so the suite can share a bucket with other tests.
 */
export function runConformanceSuite(name: string, setup: () => Promise<ConformanceTarget>): void {
  describe(`StorageBackend conformance: ${name}`, () => {
    let target: ConformanceTarget;
    let backend: StorageBackend;
    let root: string;

    beforeAll(async () => {
      target = await setup();
      backend = target.backend;
      root = `${target.prefix}conformance-${randomBytes(4).toString('hex')}/`;
    }, LARGE_TIMEOUT_MS);

    afterAll(async () => {
      if (!target) return;
      try {
        for await (const info of backend.list(root)) await backend.delete(info.key);
      } finally {
        await backend.close();
        await target.cleanup();
      }
    }, LARGE_TIMEOUT_MS);

    it(
      'round-trips a small object',
      async () => {
        const key = `${root}small.bin`;
        const result = await backend.put(key, patternStream(1, SMALL_SIZE), { contentLength: SMALL_SIZE });
        expect(result).toMatchObject({ key, size: SMALL_SIZE });
        expect((await readAll(await backend.get(key))).equals(patternBuffer(1, SMALL_SIZE))).toBe(true);
      },
      TIMEOUT_MS,
    );

    it(
      'round-trips an empty object',
      async () => {
        const key = `${root}empty.bin`;
        const result = await backend.put(key, Readable.from([], { objectMode: false }));
        expect(result).toMatchObject({ key, size: 0 });
        expect((await readAll(await backend.get(key))).length).toBe(0);
        expect((await backend.stat(key)).size).toBe(0);
      },
      TIMEOUT_MS,
    );

    it(
      `streams a ${MULTIPART_OBJECT_SIZE}-byte object from a generator (> 3 parts) and reads it back`,
      async () => {
        const key = `${root}large.bin`;
        const progress: number[] = [];
        const result = await backend.put(key, patternStream(2, MULTIPART_OBJECT_SIZE), {
          onProgress: (bytes) => progress.push(bytes),
        });
        expect(result).toMatchObject({ key, size: MULTIPART_OBJECT_SIZE });
        for (let index = 1; index < progress.length; index++) {
          expect(progress[index]!).toBeGreaterThanOrEqual(progress[index - 1]!);
        }
        const digest = await streamDigest(await backend.get(key));
        expect(digest).toEqual({ sha256: patternSha256(2, MULTIPART_OBJECT_SIZE), size: MULTIPART_OBJECT_SIZE });
        expect((await backend.stat(key)).size).toBe(MULTIPART_OBJECT_SIZE);

        // A range across the first part boundary, then the tail.
        const across = await readAll(await backend.get(key, { offset: PART_BOUNDARY - 100, length: 200 }));
        expect(across.equals(patternBuffer(2, 200, PART_BOUNDARY - 100))).toBe(true);
        const tail = await readAll(await backend.get(key, { offset: MULTIPART_OBJECT_SIZE - 10, length: 10 }));
        expect(tail.equals(patternBuffer(2, 10, MULTIPART_OBJECT_SIZE - 10))).toBe(true);
      },
      LARGE_TIMEOUT_MS,
    );

    it(
      'reads ranges: start, middle, end, and a range running past the end',
      async () => {
        const key = `${root}ranges.bin`;
        await backend.put(key, patternStream(3, SMALL_SIZE));
        const expected = patternBuffer(3, SMALL_SIZE);
        const cases: Array<[offset: number, length: number, expectedBytes: Buffer]> = [
          [0, 10, expected.subarray(0, 10)],
          [100, 250, expected.subarray(100, 350)],
          [SMALL_SIZE - 10, 10, expected.subarray(SMALL_SIZE - 10)],
          [SMALL_SIZE - 5, 100, expected.subarray(SMALL_SIZE - 5)],
          [0, SMALL_SIZE, expected],
        ];
        for (const [offset, length, expectedBytes] of cases) {
          const actual = await readAll(await backend.get(key, { offset, length }));
          expect(actual.equals(expectedBytes), `range ${offset}+${length}`).toBe(true);
        }
      },
      TIMEOUT_MS,
    );

    it(
      'lists by prefix: nested keys, partial names, no match',
      async () => {
        const base = `${root}listing/`;
        const keys = [`${base}a/1.bin`, `${base}a/2.bin`, `${base}a/deep/er/3.bin`, `${base}ab.bin`, `${base}b/4.bin`];
        for (const [index, key] of keys.entries()) await backend.put(key, patternStream(10 + index, 10 + index));

        expect(await listKeys(backend, base)).toEqual([...keys].sort());
        expect(await listKeys(backend, `${base}a/`)).toEqual([
          `${base}a/1.bin`,
          `${base}a/2.bin`,
          `${base}a/deep/er/3.bin`,
        ]);
        expect(await listKeys(backend, `${base}a`)).toEqual([
          `${base}a/1.bin`,
          `${base}a/2.bin`,
          `${base}a/deep/er/3.bin`,
          `${base}ab.bin`,
        ]);
        expect(await listKeys(backend, `${base}a/deep/`)).toEqual([`${base}a/deep/er/3.bin`]);
        expect(await listKeys(backend, `${base}nothing-here/`)).toEqual([]);
        expect(await listKeys(backend, `${root}no-such-folder/`)).toEqual([]);

        const infos = new Map<string, number>();
        for await (const info of backend.list(base)) {
          expect(info.modifiedAt).toBeInstanceOf(Date);
          infos.set(info.key, info.size);
        }
        expect(infos.get(`${base}ab.bin`)).toBe(13);
      },
      TIMEOUT_MS,
    );

    it(
      'stats an object',
      async () => {
        const key = `${root}stat.bin`;
        const before = Date.now();
        await backend.put(key, patternStream(4, 321));
        const info = await backend.stat(key);
        expect(info.key).toBe(key);
        expect(info.size).toBe(321);
        expect(info.modifiedAt).toBeInstanceOf(Date);
        // Allow for clock skew between test process and server, and second-granularity timestamps.
        expect(Math.abs(info.modifiedAt.getTime() - before)).toBeLessThan(10 * 60_000);
      },
      TIMEOUT_MS,
    );

    it(
      'deletes an object',
      async () => {
        const key = `${root}delete-me.bin`;
        await backend.put(key, patternStream(5, 100));
        await backend.delete(key);
        await expectNotFound(backend.stat(key), backend);
        expect(await listKeys(backend, `${root}delete-me`)).toEqual([]);
      },
      TIMEOUT_MS,
    );

    it(
      'reports a missing key as NotFoundError on get, stat and delete',
      async () => {
        const key = `${root}missing/never-written.bin`;
        await expectNotFound(backend.get(key), backend);
        await expectNotFound(backend.get(key, { offset: 0, length: 10 }), backend);
        await expectNotFound(backend.stat(key), backend);
        await expectNotFound(backend.delete(key), backend);
      },
      TIMEOUT_MS,
    );

    it(
      'overwrites an object',
      async () => {
        const key = `${root}overwrite.bin`;
        await backend.put(key, patternStream(6, 2000));
        await backend.put(key, patternStream(7, 500));
        expect((await readAll(await backend.get(key))).equals(patternBuffer(7, 500))).toBe(true);
        expect((await backend.stat(key)).size).toBe(500);
        expect(await listKeys(backend, `${root}overwrite`)).toEqual([key]);
      },
      TIMEOUT_MS,
    );

    it(
      'leaves nothing behind when the body fails midway (no object, no incomplete upload)',
      async () => {
        const key = `${root}failed/interrupted.bin`;
        const error = await errorOf(backend.put(key, failingBody(PART_BOUNDARY + 1024 * 1024)));
        expect(error, 'put must reject when its body fails').toBeInstanceOf(Error);
        await expectNotFound(backend.stat(key), backend);
        expect(await listKeys(backend, `${root}failed/`)).toEqual([]);
        if (backend.capabilities.incompleteUploads && backend.listIncompleteUploads) {
          const leftovers: string[] = [];
          for await (const upload of backend.listIncompleteUploads(`${root}failed/`)) leftovers.push(upload.key);
          expect(leftovers).toEqual([]);
        }
        // A failed replacement keeps the old object.
        const existing = `${root}failed/kept.bin`;
        await backend.put(existing, patternStream(8, 300));
        await errorOf(backend.put(existing, failingBody(1024)));
        expect((await readAll(await backend.get(existing))).equals(patternBuffer(8, 300))).toBe(true);
      },
      LARGE_TIMEOUT_MS,
    );

    it(
      'rejects wrong credentials with an AuthenticationError naming the backend',
      async (context) => {
        if (!target.wrongCredentials) {
          context.skip('this backend has no credentials its test server checks');
          return;
        }
        const wrong = await target.wrongCredentials();
        try {
          const error = await errorOf(listKeys(wrong, root));
          expect(error, 'listing with wrong credentials must fail').toBeInstanceOf(Error);
          expect(error).toMatchObject({ name: 'AuthenticationError', code: 'AUTHENTICATION', backend: backend.kind });
          expect((error as Error).message.toLowerCase()).toContain(backend.kind);
        } finally {
          await wrong.close();
        }
      },
      TIMEOUT_MS,
    );

    it(
      'recovers through withRetry after the connections are dropped',
      async (context) => {
        const dropConnections = target.dropConnections?.bind(target);
        if (!dropConnections) {
          context.skip('this backend cannot drop its connections from the test');
          return;
        }
        const retries: string[] = [];
        const retrying = withRetry(backend, {
          baseDelayMs: 20,
          maxDelayMs: 500,
          onRetry: (event) => retries.push(event.operation),
        });
        const key = `${root}retry/object.bin`;
        const expected = patternBuffer(9, 4096);

        await dropConnections();
        await retrying.put(
          key,
          createReplayableBody(() => Readable.from([expected], { objectMode: false })),
        );
        await dropConnections();
        expect((await readAll(await retrying.get(key))).equals(expected)).toBe(true);
        await dropConnections();
        expect((await retrying.stat(key)).size).toBe(expected.length);
        await dropConnections();
        expect(await listKeys(retrying, `${root}retry/`)).toEqual([key]);
        await dropConnections();
        await retrying.delete(key);
        await expectNotFound(backend.stat(key), backend);
      },
      TIMEOUT_MS,
    );
  });
}
