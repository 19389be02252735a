import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';

/** Bytes are produced in blocks of this size; block i depends only on (seed, i), so any range can be recomputed. */
const BLOCK_SIZE = 64 * 1024;

/** Fills one block with xorshift32 output seeded from (seed, block index): fast, incompressible, deterministic. */
function patternBlock(seed: number, blockIndex: number): Buffer {
  const words = new Uint32Array(BLOCK_SIZE / 4);
  let state = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(blockIndex + 1, 0xc2b2ae35)) >>> 0 || 1;
  for (let index = 0; index < words.length; index++) {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    words[index] = state;
  }
  return Buffer.from(words.buffer);
}

/** Yields the bytes [offset, offset + length) of the pattern named by `seed`, one block at a time. */
export function* patternChunks(seed: number, length: number, offset = 0): Generator<Buffer> {
  let position = offset;
  const end = offset + length;
  while (position < end) {
    const blockIndex = Math.floor(position / BLOCK_SIZE);
    const block = patternBlock(seed, blockIndex);
    const start = position - blockIndex * BLOCK_SIZE;
    const stop = Math.min(BLOCK_SIZE, end - blockIndex * BLOCK_SIZE);
    yield start === 0 && stop === BLOCK_SIZE ? block : block.subarray(start, stop);
    position += stop - start;
  }
}

/** The pattern as a byte stream (not object mode), generated while it is read: large bodies never sit in memory. */
export function patternStream(seed: number, length: number): Readable {
  return Readable.from(patternChunks(seed, length), { objectMode: false });
}

/** The pattern's bytes in one Buffer: only for small ranges. */
export function patternBuffer(seed: number, length: number, offset = 0): Buffer {
  return Buffer.concat([...patternChunks(seed, length, offset)]);
}

/** sha256 (hex) of the pattern's first `length` bytes. */
export function patternSha256(seed: number, length: number): string {
  const hash = createHash('sha256');
  for (const chunk of patternChunks(seed, length)) hash.update(chunk);
  return hash.digest('hex');
}

/** Consumes a stream and returns its sha256 (hex) and byte count, without holding the bytes. */
export async function streamDigest(stream: Readable): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    const bytes = chunk as Buffer;
    hash.update(bytes);
    size += bytes.length;
  }
  return { sha256: hash.digest('hex'), size };
}

/** Reads a (small) stream into one Buffer. */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}
