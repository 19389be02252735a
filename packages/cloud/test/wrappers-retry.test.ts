import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError, StorageError } from '../src/errors.js';
import type { StorageBackend } from '../src/storage-backend.js';
import { patternBuffer, patternStream, readAll } from '../src/testing/pattern-bytes.js';
import { createReplayableBody, isRetryableError, type RetryEvent, withRetry } from '../src/wrappers/index.js';
import { failFirstCalls } from './support/flaky-backend.js';
import { createTempLocalBackend } from './support/temp-local-backend.js';

const fast = { baseDelayMs: 1, maxDelayMs: 5 };

describe('withRetry', () => {
  let local: StorageBackend;
  let remove: () => Promise<void>;

  beforeEach(async () => {
    ({ backend: local, remove } = await createTempLocalBackend());
    await local.put('a/one.bin', patternStream(1, 5000));
    await local.put('a/two.bin', patternStream(2, 10));
    await local.put('a/three.bin', patternStream(3, 20));
  });
  afterEach(() => remove());

  it('retries get, stat and delete after connection resets', async () => {
    const flaky = failFirstCalls(local, { operations: ['get', 'stat', 'delete'], failures: 2 });
    const events: RetryEvent[] = [];
    const backend = withRetry(flaky, { ...fast, onRetry: (event) => events.push(event) });

    expect((await readAll(await backend.get('a/one.bin'))).equals(patternBuffer(1, 5000))).toBe(true);
    expect((await backend.stat('a/one.bin')).size).toBe(5000);
    await backend.delete('a/one.bin');
    expect(flaky.calls).toMatchObject({ get: 3, stat: 3, delete: 3 });
    expect(events.map((event) => `${event.operation}#${event.attempt}`)).toEqual([
      'get#1',
      'get#2',
      'stat#1',
      'stat#2',
      'delete#1',
      'delete#2',
    ]);
  });

  it('retries a StorageError marked retryable (a mapped 503) and gives up after `attempts`', async () => {
    const unavailable = () => new StorageError('s3', 'UNAVAILABLE', 's3: 503 Slow Down', { retryable: true });
    const flaky = failFirstCalls(local, { operations: ['stat'], failures: 10, makeError: unavailable });
    const backend = withRetry(flaky, { ...fast, attempts: 3 });
    await expect(backend.stat('a/one.bin')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(flaky.calls.stat).toBe(3);
  });

  it('does not retry final errors', async () => {
    const flaky = failFirstCalls(local, { operations: [], failures: 0 });
    const events: RetryEvent[] = [];
    const backend = withRetry(flaky, { ...fast, onRetry: (event) => events.push(event) });
    await expect(backend.stat('a/missing.bin')).rejects.toBeInstanceOf(NotFoundError);
    expect(events).toEqual([]);
  });

  it('restarts a broken listing without repeating keys', async () => {
    const flaky = failFirstCalls(local, { operations: ['list'], failures: 1, listItemsBeforeFailure: 2 });
    const backend = withRetry(flaky, fast);
    const keys: string[] = [];
    for await (const info of backend.list('a/')) keys.push(info.key);
    expect(keys.sort()).toEqual(['a/one.bin', 'a/three.bin', 'a/two.bin']);
    expect(flaky.calls.list).toBe(2);
  });

  it('repeats a put only when the body is replayable', async () => {
    const flaky = failFirstCalls(local, { operations: ['put'], failures: 2 }); // one for each put below
    const backend = withRetry(flaky, fast);
    await expect(backend.put('b/plain.bin', patternStream(4, 100))).rejects.toMatchObject({ code: 'ECONNRESET' });

    let opened = 0;
    const body = createReplayableBody(() => {
      opened++;
      return Readable.from([patternBuffer(5, 3000)], { objectMode: false });
    });
    await backend.put('b/replayable.bin', body);
    expect(opened).toBe(2);
    expect((await readAll(await local.get('b/replayable.bin'))).equals(patternBuffer(5, 3000))).toBe(true);
  });

  it('treats a NotFoundError after a lost delete reply as success', async () => {
    // The first attempt deletes the object, then its reply is "lost".
    const lostReply: StorageBackend = {
      ...local,
      async delete(key) {
        await local.delete(key);
        if (!lostReplyGiven) {
          lostReplyGiven = true;
          throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
        }
      },
    };
    let lostReplyGiven = false;
    await withRetry(lostReply, fast).delete('a/two.bin');
    await expect(local.stat('a/two.bin')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('isRetryableError', () => {
  it('reads StorageError.retryable, network codes and HTTP statuses through the cause chain', () => {
    expect(isRetryableError(new StorageError('azure', 'THROTTLED', 'azure: 429', { retryable: true }))).toBe(true);
    expect(isRetryableError(new NotFoundError('azure', 'x', undefined, { cause: new Error('ECONNRESET') }))).toBe(
      false,
    );
    expect(isRetryableError(Object.assign(new Error('pipe'), { code: 'EPIPE' }))).toBe(true);
    expect(
      isRetryableError(new Error('wrapped', { cause: Object.assign(new Error('x'), { code: 'ETIMEDOUT' }) })),
    ).toBe(true);
    expect(isRetryableError(Object.assign(new Error('bad gateway'), { statusCode: 502 }))).toBe(true);
    expect(isRetryableError(Object.assign(new Error('forbidden'), { statusCode: 403 }))).toBe(false);
    expect(isRetryableError(new Error('plain'))).toBe(false);
  });
});
