import { InvalidStoreOptionError } from '../errors.js';

/**
 * FastCDC parameters, recorded in the store's config so every backup into one store cuts the same way. Sizes are
 * bytes; `averageSize` is a power of two (the masks are built from its bit count).
 */
export interface ChunkerParameters {
  /** No cut before this many bytes (FastCDC skips hashing them, which is also where much of its speed comes from). */
  minSize: number;
  /** Expected chunk size: the "normal size" where normalized chunking switches from the strict to the loose mask. */
  averageSize: number;
  /** A cut is forced here. */
  maxSize: number;
  /** FastCDC normalization level: the strict mask has log2(average)+level bits, the loose one log2(average)-level. */
  normalization: number;
}

/**
 * 128 KiB average, 32 KiB minimum, 512 KiB maximum. Measured on PK-ordered dumps, the bytes a typical OLTP day adds
 * grow with the chunk size (64 KiB: 3.3 %, 256 KiB: 5.1 %, 1 MiB: 17.9 %); 128 KiB sits near the small end of that
 * curve while halving the index (one entry of ~41 bytes on disk and ~90 bytes in memory per chunk) and the per-blob
 * overhead (a ranged read, an AES-GCM tag, a zstd frame) compared with 64 KiB, and zstd still sees enough context
 * to compress SQL text well. See README.md "Choosing the chunk size".
 */
export const DEFAULT_CHUNKER_PARAMETERS: Readonly<ChunkerParameters> = Object.freeze({
  minSize: 32 * 1024,
  averageSize: 128 * 1024,
  maxSize: 512 * 1024,
  normalization: 2,
});

const SMALLEST_AVERAGE = 1024;
const LARGEST_AVERAGE = 16 * 1024 * 1024;
const LARGEST_MAX = 64 * 1024 * 1024;

function isPowerOfTwo(value: number): boolean {
  return Number.isInteger(value) && value > 0 && (value & (value - 1)) === 0;
}

/** Throws InvalidStoreOptionError unless min < average < max, average a power of two in range, level 0..3. */
export function validateChunkerParameters(parameters: ChunkerParameters): ChunkerParameters {
  const { minSize, averageSize, maxSize, normalization } = parameters;
  if (!isPowerOfTwo(averageSize) || averageSize < SMALLEST_AVERAGE || averageSize > LARGEST_AVERAGE) {
    throw new InvalidStoreOptionError(
      `chunker averageSize ${averageSize} must be a power of two between ${SMALLEST_AVERAGE} and ${LARGEST_AVERAGE} bytes (e.g. 131072)`,
    );
  }
  if (!Number.isInteger(minSize) || minSize < 64 || minSize >= averageSize) {
    throw new InvalidStoreOptionError(
      `chunker minSize ${minSize} must be an integer from 64 up to below averageSize ${averageSize} (e.g. averageSize / 4)`,
    );
  }
  if (!Number.isInteger(maxSize) || maxSize <= averageSize || maxSize > LARGEST_MAX) {
    throw new InvalidStoreOptionError(
      `chunker maxSize ${maxSize} must be an integer above averageSize ${averageSize} and at most ${LARGEST_MAX} (e.g. averageSize * 4)`,
    );
  }
  if (!Number.isInteger(normalization) || normalization < 0 || normalization > 3) {
    throw new InvalidStoreOptionError(`chunker normalization ${normalization} must be 0, 1, 2 or 3 (FastCDC uses 2)`);
  }
  return { minSize, averageSize, maxSize, normalization };
}
