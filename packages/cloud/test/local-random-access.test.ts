import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RangedReadsUnsupportedError } from '../src/random-access/index.js';
import { openStorageSource } from '../src/random-access/open-storage-source.js';
import type { StorageBackend } from '../src/storage-backend.js';
import { patternBuffer, patternStream, readAll } from '../src/testing/pattern-bytes.js';
import { connectionReset } from './support/flaky-backend.js';
import { createTempLocalBackend } from './support/temp-local-backend.js';

const SIZE = 3 * 1024 * 1024 + 17;

describe('openStorageSource', () => {
  let local: StorageBackend;
  let remove: () => Promise<void>;
  beforeEach(async () => {
    ({ backend: local, remove } = await createTempLocalBackend());
    await local.put('archives/x.dbb.tar', patternStream(1, SIZE));
  });
  afterEach(() => remove());

  it('reads positions and streams ranges with ranged gets', async () => {
    const source = await openStorageSource(local, 'archives/x.dbb.tar');
    expect(await source.size()).toBe(SIZE);
    expect(source.description).toMatch(/archives\/x\.dbb\.tar$/);
    expect((await source.read(1000, 5000)).equals(patternBuffer(1, 5000, 1000))).toBe(true);
    expect((await source.read(SIZE - 10, 100)).equals(patternBuffer(1, 10, SIZE - 10))).toBe(true);
    expect((await source.read(SIZE + 5, 10)).length).toBe(0);
    const [first, second] = await Promise.all([
      readAll(source.createReadStream(0, 2 * 1024 * 1024)),
      readAll(source.createReadStream(2 * 1024 * 1024, 2 * 1024 * 1024)),
    ]);
    expect(first.equals(patternBuffer(1, 2 * 1024 * 1024))).toBe(true);
    expect(second.equals(patternBuffer(1, SIZE - 2 * 1024 * 1024, 2 * 1024 * 1024))).toBe(true);
    await source.close();
  });

  it('resumes a range whose stream broke midway from the first missing byte', async () => {
    let broken = 0;
    const breaking: StorageBackend = {
      ...local,
      async get(key, range) {
        const stream = await local.get(key, range);
        if (broken++ > 0) return stream;
        // Deliver some bytes, then fail like a reset connection.
        const chunks = stream[Symbol.asyncIterator]();
        const first = await chunks.next();
        const { Readable } = await import('node:stream');
        return Readable.from(
          (async function* () {
            yield first.value as Buffer;
            stream.destroy();
            throw connectionReset();
          })(),
          { objectMode: false },
        );
      },
    };
    const source = await openStorageSource(breaking, 'archives/x.dbb.tar');
    const bytes = await readAll(source.createReadStream(10, 1024 * 1024));
    expect(bytes.equals(patternBuffer(1, 1024 * 1024, 10))).toBe(true);
    expect(broken).toBe(2);
  });

  it('refuses a backend without ranged reads', async () => {
    const whole: StorageBackend = { ...local, capabilities: { ...local.capabilities, rangedReads: false } };
    await expect(openStorageSource(whole, 'archives/x.dbb.tar')).rejects.toBeInstanceOf(RangedReadsUnsupportedError);
    await expect(openStorageSource(local, 'archives/missing.tar')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
