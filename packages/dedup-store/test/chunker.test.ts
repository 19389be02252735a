import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BoundaryFinder } from '../src/chunker/boundary-finder.js';
import { chunkStream } from '../src/chunker/chunk-stream.js';
import { DEFAULT_CHUNKER_PARAMETERS, validateChunkerParameters } from '../src/chunker/chunker-parameters.js';
import { createGearTable, PLAIN_GEAR_SEED } from '../src/chunker/gear-table.js';
import { InvalidStoreOptionError } from '../src/errors.js';
import { streamOf } from './helpers.js';
import { initialTable, renderDump } from './synthetic-dump.js';

const gear = createGearTable(PLAIN_GEAR_SEED);
const parameters = DEFAULT_CHUNKER_PARAMETERS;

async function chunksOf(data: Buffer, pieceSize: number, gearTable = gear): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of chunkStream(streamOf(data, pieceSize), parameters, gearTable)) chunks.push(chunk);
  return chunks;
}

const digest = (chunk: Buffer) => createHash('sha256').update(chunk).digest('hex');

describe('FastCDC chunker', () => {
  const dump = renderDump(initialTable(60_000)); // ~8 MB of INSERT lines

  it('cuts the same chunks however the input is split', async () => {
    const reference = (await chunksOf(dump, 1 << 20)).map(digest);
    for (const pieceSize of [3, 4093, 65_536, 3_000_000]) {
      // Tiny pieces on a shorter input: one async step per piece makes them slow, not different.
      const input = pieceSize === 3 ? dump.subarray(0, 300_000) : dump;
      const expected = pieceSize === 3 ? (await chunksOf(input, 1 << 20)).map(digest) : reference;
      expect((await chunksOf(input, pieceSize)).map(digest)).toEqual(expected);
    }
    expect(Buffer.concat(await chunksOf(dump, 65_536)).equals(dump)).toBe(true);
  });

  it('keeps chunk sizes within min..max, averaging near the configured size', async () => {
    const chunks = await chunksOf(dump, 65_536);
    for (const chunk of chunks.slice(0, -1)) {
      expect(chunk.length).toBeGreaterThanOrEqual(parameters.minSize);
      expect(chunk.length).toBeLessThanOrEqual(parameters.maxSize);
    }
    const mean = dump.length / chunks.length;
    expect(mean).toBeGreaterThan(parameters.averageSize * 0.75);
    expect(mean).toBeLessThan(parameters.averageSize * 1.5);
  });

  it('cuts at maxSize in data with no content boundaries (all zeros)', async () => {
    const chunks = await chunksOf(Buffer.alloc(2 * parameters.maxSize + 10), 100_000);
    expect(chunks.map((chunk) => chunk.length)).toEqual([parameters.maxSize, parameters.maxSize, 10]);
  });

  it('resynchronises after bytes are inserted at the front: most chunks stay the same', async () => {
    const shifted = Buffer.concat([Buffer.from('-- a new comment line at the very top of the dump\n'), dump]);
    const before = new Set((await chunksOf(dump, 65_536)).map(digest));
    const after = await chunksOf(shifted, 65_536);
    const unchangedBytes = after.filter((chunk) => before.has(digest(chunk))).reduce((sum, c) => sum + c.length, 0);
    expect(unchangedBytes / shifted.length).toBeGreaterThan(0.95);
  });

  it('yields nothing for empty input and one chunk for input below minSize', async () => {
    expect(await chunksOf(Buffer.alloc(0), 1024)).toEqual([]);
    const small = randomBytes(1000);
    const chunks = await chunksOf(small, 100);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.equals(small)).toBe(true);
  });

  it('cuts differently with another gear table (encrypted stores use a secret one)', async () => {
    const other = createGearTable(Buffer.alloc(32, 7));
    const plain = (await chunksOf(dump, 65_536)).map((chunk) => chunk.length);
    const secret = (await chunksOf(dump, 65_536, other)).map((chunk) => chunk.length);
    expect(secret).not.toEqual(plain);
  });

  it('finds cuts in place with BoundaryFinder.scan', () => {
    const finder = new BoundaryFinder(parameters, gear);
    const cut = finder.scan(dump, 0, dump.length);
    expect(cut).toBeGreaterThanOrEqual(parameters.minSize);
    expect(cut).toBeLessThanOrEqual(parameters.maxSize);
    expect(finder.pendingLength).toBe(0);
  });

  it('refuses parameters it cannot honour, with the accepted range in the message', () => {
    expect(() => validateChunkerParameters({ ...parameters, averageSize: 100_000 })).toThrow(InvalidStoreOptionError);
    expect(() => validateChunkerParameters({ ...parameters, minSize: parameters.averageSize })).toThrow(/minSize/);
    expect(() => validateChunkerParameters({ ...parameters, maxSize: parameters.averageSize })).toThrow(/maxSize/);
  });
});
