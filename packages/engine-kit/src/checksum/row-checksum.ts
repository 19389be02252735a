/**
 * Order-independent content checksum of text rows, one row per line (a PostgreSQL COPY text row or a MySQL
 * LOAD DATA line, without its '\n').
 *
 * Every line gets a 64-bit hash made of two 32-bit murmur3-style lanes with different seeds and constants computed
 * in one pass; the hashes are summed modulo 2^64. Summing makes the result independent of row order, of how a table
 * was split into ranges and parts and of which worker read which part, so part checksums add up to the table
 * checksum and re-reading a restored table reproduces it. The function depends only on the line bytes, so both
 * engines share it. 32-bit integer math (Math.imul) and no allocation per line: it runs for every row of every table.
 */

const LANE1_SEED = 0x9747b28c | 0;
const LANE2_SEED = 0x5bd1e995 | 0;
const TWO_POW_32 = 4294967296;

/** Running sum of line hashes; feed it whole lines, read rows and hex(). */
export class RowChecksum {
  /** Low and high 32 bits of the 64-bit running sum, as unsigned numbers. */
  private low = 0;
  private high = 0;
  rows = 0;

  /**
   * Hashes every complete line in bytes[start, end) and returns the offset just after the last '\n' consumed
   * (start when there is none), so the caller keeps the unfinished tail for the next call.
   */
  addLines(bytes: Uint8Array, start: number, end: number): number {
    let lineStart = start;
    // A view ending at `end`, so indexOf never scans bytes past it (part buffers are preallocated).
    const view = Buffer.from(bytes.buffer, bytes.byteOffset, end);
    for (;;) {
      const newline = view.indexOf(10, lineStart);
      if (newline < 0) return lineStart;
      this.addLine(view, lineStart, newline);
      lineStart = newline + 1;
    }
  }

  /** Adds the hash of bytes[start, end) (one row without its newline). */
  addLine(bytes: Uint8Array, start: number, end: number): void {
    let h1 = LANE1_SEED;
    let h2 = LANE2_SEED;
    let i = start;
    const end4 = start + ((end - start) & ~3);
    for (; i < end4; i += 4) {
      const k = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
      let k1 = Math.imul(k, 0xcc9e2d51);
      k1 = (k1 << 15) | (k1 >>> 17);
      k1 = Math.imul(k1, 0x1b873593);
      h1 ^= k1;
      h1 = (h1 << 13) | (h1 >>> 19);
      h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
      let k2 = Math.imul(k, 0x85ebca6b);
      k2 = (k2 << 16) | (k2 >>> 16);
      k2 = Math.imul(k2, 0xc2b2ae35);
      h2 ^= k2;
      h2 = (h2 << 17) | (h2 >>> 15);
      h2 = (Math.imul(h2, 5) + 0x52dce729) | 0;
    }
    const tail = end - i;
    if (tail > 0) {
      let k = bytes[i]!;
      if (tail > 1) k |= bytes[i + 1]! << 8;
      if (tail > 2) k |= bytes[i + 2]! << 16;
      let k1 = Math.imul(k, 0xcc9e2d51);
      k1 = (k1 << 15) | (k1 >>> 17);
      h1 ^= Math.imul(k1, 0x1b873593);
      let k2 = Math.imul(k, 0x85ebca6b);
      k2 = (k2 << 16) | (k2 >>> 16);
      h2 ^= Math.imul(k2, 0xc2b2ae35);
    }
    const length = end - start;
    h1 ^= length;
    h1 ^= h1 >>> 16;
    h1 = Math.imul(h1, 0x85ebca6b);
    h1 ^= h1 >>> 13;
    h1 = Math.imul(h1, 0xc2b2ae35);
    h1 ^= h1 >>> 16;
    h2 ^= length;
    h2 ^= h2 >>> 16;
    h2 = Math.imul(h2, 0x85ebca6b);
    h2 ^= h2 >>> 13;
    h2 = Math.imul(h2, 0xc2b2ae35);
    h2 ^= h2 >>> 16;
    let low = this.low + (h1 >>> 0);
    let carry = 0;
    if (low >= TWO_POW_32) {
      low -= TWO_POW_32;
      carry = 1;
    }
    this.low = low;
    this.high = (this.high + (h2 >>> 0) + carry) >>> 0;
    this.rows++;
  }

  /** 16 hex digits: the 64-bit sum, high lane first. */
  hex(): string {
    return this.high.toString(16).padStart(8, '0') + this.low.toString(16).padStart(8, '0');
  }
}

/** The checksum of no rows. */
export const EMPTY_CHECKSUM = '0000000000000000';

/** Adds checksums modulo 2^64: the checksum of a table is the sum of its parts' checksums. */
export function addChecksums(checksums: Iterable<string>): string {
  let sum = 0n;
  for (const checksum of checksums) sum += BigInt(`0x${checksum}`);
  return BigInt.asUintN(64, sum).toString(16).padStart(16, '0');
}

/** Checksum and row count of a complete body of lines (every line, including the last, ends with '\n'). */
export function checksumLines(body: Uint8Array | string): { rows: number; checksum: string } {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const checksum = new RowChecksum();
  checksum.addLines(bytes, 0, bytes.length);
  return { rows: checksum.rows, checksum: checksum.hex() };
}
