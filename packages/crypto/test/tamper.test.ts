import { randomBytes, randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptBuffer, encryptBuffer } from '../src/buffer-codec.js';
import { createDataKey } from '../src/data-key.js';
import { createDecryptStream } from '../src/decrypt-stream.js';
import { CorruptDataError } from '../src/errors.js';
import { randomChunks, runTransformCatching } from './stream-helpers.js';

const member = 'data/000003.copy.zst';
const PREFIX = 7;
const SEGMENT = 65536;
const RECORD = SEGMENT + 16;

function flipBit(data: Buffer, bit: number): Buffer {
  const copy = Buffer.from(data);
  copy[bit >> 3]! ^= 1 << (bit & 7);
  return copy;
}

function expectCorruptBuffer(key: Buffer, sealed: Buffer, name = member): CorruptDataError {
  let caught: unknown;
  try {
    decryptBuffer(key, sealed, name);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(CorruptDataError);
  return caught as CorruptDataError;
}

async function expectCorruptStream(key: Buffer, sealed: Buffer, name = member) {
  const result = await runTransformCatching(createDecryptStream(key, { member: name }), randomChunks(sealed, 40_000));
  expect(result.error).toBeInstanceOf(CorruptDataError);
  return { error: result.error as CorruptDataError, emitted: result.emitted };
}

/** Bits to flip in [start, end): all of them when few, else the first and last byte plus a random sample. */
function bitsIn(start: number, end: number, sample = 96): number[] {
  const total = (end - start) * 8;
  if (total <= 256) return Array.from({ length: total }, (_, i) => start * 8 + i);
  const bits = new Set<number>();
  for (let i = 0; i < 8; i++) bits.add(start * 8 + i).add((end - 1) * 8 + i);
  while (bits.size < sample) bits.add(start * 8 + randomInt(total));
  return [...bits];
}

describe('bit flips', () => {
  it('detects every single-bit flip in a 100-byte member, buffered and streamed', async () => {
    const key = createDataKey();
    const sealed = encryptBuffer(key, randomBytes(100), member);
    expect(sealed.length).toBe(PREFIX + 100 + 16);
    for (let bit = 0; bit < sealed.length * 8; bit++) {
      const tampered = flipBit(sealed, bit);
      expect(expectCorruptBuffer(key, tampered).segment).toBe(0);
      const { error, emitted } = await expectCorruptStream(key, tampered);
      expect(error.segment).toBe(0);
      expect(emitted).toBe(0);
    }
  });

  it('detects flips in every region of a two-segment member (prefix, body, tag, last segment)', async () => {
    const key = createDataKey();
    const sealed = encryptBuffer(key, randomBytes(70_000), member);
    const regions = [
      { name: 'prefix', start: 0, end: PREFIX, segment: 0 },
      { name: 'first body', start: PREFIX, end: PREFIX + SEGMENT, segment: 0 },
      { name: 'first tag', start: PREFIX + SEGMENT, end: PREFIX + RECORD, segment: 0 },
      { name: 'last body', start: PREFIX + RECORD, end: sealed.length - 16, segment: 1 },
      { name: 'last tag', start: sealed.length - 16, end: sealed.length, segment: 1 },
    ];
    for (const region of regions) {
      for (const bit of bitsIn(region.start, region.end)) {
        const tampered = flipBit(sealed, bit);
        expect(expectCorruptBuffer(key, tampered).segment, `${region.name} bit ${bit}`).toBe(region.segment);
      }
      // Streaming is slower per case, so it checks a handful of flips per region.
      for (const bit of bitsIn(region.start, region.end, 4).slice(0, 4)) {
        const { error, emitted } = await expectCorruptStream(key, flipBit(sealed, bit));
        expect(error.segment, `${region.name} bit ${bit}`).toBe(region.segment);
        expect(emitted).toBe(region.segment * SEGMENT);
      }
    }
  });

  it('names the member and segment in a one-line message', () => {
    const key = createDataKey();
    const sealed = encryptBuffer(key, randomBytes(8 * SEGMENT), member);
    const error = expectCorruptBuffer(key, flipBit(sealed, (PREFIX + 7 * RECORD + 5) * 8));
    expect(error.member).toBe(member);
    expect(error.segment).toBe(7);
    expect(error.code).toBe('CORRUPT_DATA');
    expect(error.message).toBe(
      'member data/000003.copy.zst is corrupt at segment 7: authentication failed (the archive was modified or truncated)',
    );
  });
});

describe('truncation, reordering and appending', () => {
  const key = createDataKey();
  const plain = randomBytes(4 * SEGMENT + 1000);
  const sealed = encryptBuffer(key, plain, member);
  const boundaries = [0, PREFIX, ...[1, 2, 3, 4].map((n) => PREFIX + n * RECORD)];
  const midSegment = [3, PREFIX + 1, PREFIX + 15, PREFIX + 500, PREFIX + RECORD + 8, PREFIX + 3 * RECORD - 1];
  const nearEnd = [sealed.length - 1, sealed.length - 16, sealed.length - 17];

  for (const length of [...boundaries, ...midSegment, ...nearEnd]) {
    it(`detects truncation to ${length} of ${sealed.length} bytes`, async () => {
      const truncated = sealed.subarray(0, length);
      const bufferError = expectCorruptBuffer(key, truncated);
      const { error, emitted } = await expectCorruptStream(key, truncated);
      expect(error.segment).toBe(bufferError.segment);
      // Only segments that verified as middle segments came out: never the held-back one that failed as last.
      expect(emitted).toBe(error.segment * SEGMENT);
    });
  }

  it('detects two swapped segments', async () => {
    const swapped = Buffer.from(sealed);
    sealed.copy(swapped, PREFIX + RECORD, PREFIX + 2 * RECORD, PREFIX + 3 * RECORD);
    sealed.copy(swapped, PREFIX + 2 * RECORD, PREFIX + RECORD, PREFIX + 2 * RECORD);
    expect(expectCorruptBuffer(key, swapped).segment).toBe(1);
    const { error, emitted } = await expectCorruptStream(key, swapped);
    expect(error.segment).toBe(1);
    expect(emitted).toBe(SEGMENT);
  });

  it('detects a copy of a segment appended at the end', async () => {
    for (const copied of [0, 4]) {
      const start = PREFIX + copied * RECORD;
      const end = Math.min(start + RECORD, sealed.length);
      const appended = Buffer.concat([sealed, sealed.subarray(start, end)]);
      expectCorruptBuffer(key, appended);
      await expectCorruptStream(key, appended);
    }
  });

  it('detects a segment inserted in the middle', async () => {
    const inserted = Buffer.concat([
      sealed.subarray(0, PREFIX + 2 * RECORD),
      sealed.subarray(PREFIX + RECORD, PREFIX + 2 * RECORD),
      sealed.subarray(PREFIX + 2 * RECORD),
    ]);
    expect(expectCorruptBuffer(key, inserted).segment).toBe(2);
    expect((await expectCorruptStream(key, inserted)).error.segment).toBe(2);
  });

  it('detects an empty member and a lone last segment from another position', () => {
    expect(expectCorruptBuffer(key, Buffer.alloc(0)).segment).toBe(0);
    const lastOnly = Buffer.concat([sealed.subarray(0, PREFIX), sealed.subarray(PREFIX + 4 * RECORD)]);
    expect(expectCorruptBuffer(key, lastOnly).segment).toBe(0);
  });

  it('refuses to decrypt under another member name', async () => {
    const other = 'data/000004.copy.zst';
    expect(expectCorruptBuffer(key, sealed, other).member).toBe(other);
    const { emitted } = await expectCorruptStream(key, sealed, other);
    expect(emitted).toBe(0);
  });

  it('refuses another data key', () => {
    expect(expectCorruptBuffer(createDataKey(), sealed).segment).toBe(0);
  });
});

describe('no plaintext before verification', () => {
  it('emits nothing when the first segment is tampered, even when fed in one chunk', async () => {
    const key = createDataKey();
    const sealed = encryptBuffer(key, randomBytes(3 * SEGMENT), member);
    const tampered = flipBit(sealed, (PREFIX + 100) * 8);
    const result = await runTransformCatching(createDecryptStream(key, { member }), [tampered]);
    expect(result.error).toBeInstanceOf(CorruptDataError);
    expect(result.emitted).toBe(0);
  });

  it('emits exactly the verified segments before a tampered one', async () => {
    const key = createDataKey();
    const sealed = encryptBuffer(key, randomBytes(3 * SEGMENT), member);
    const tampered = flipBit(sealed, (PREFIX + 2 * RECORD + 10) * 8);
    const result = await runTransformCatching(createDecryptStream(key, { member }), [tampered]);
    expect((result.error as CorruptDataError).segment).toBe(2);
    expect(result.emitted).toBe(2 * SEGMENT);
  });
});
