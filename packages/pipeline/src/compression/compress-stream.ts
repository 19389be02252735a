import { availableParallelism } from 'node:os';
import { PassThrough, type Transform } from 'node:stream';
import { InvalidCompressionError } from '../errors.js';
import { STREAM_HIGH_WATER_MARK } from '../stream-sizes.js';
import { GZIP_BLOCK_SIZE, gzipBlockCodec, ZSTD_BLOCK_SIZE, zstdBlockCodec } from './block-codecs.js';
import { type CompressionOptions, resolveCompression } from './compression-options.js';
import { type BlockCodec, ParallelBlockCompressor } from './parallel-block-compressor.js';

/**
 * One block per core keeps every core busy; the extra one is being handed back while the next is queued. No more
 * than the libuv thread pool can run at once (4 threads unless UV_THREADPOOL_SIZE says otherwise): blocks beyond
 * that would only wait in the queue and hold memory.
 */
export function defaultMaxBlocksInFlight(): number {
  return Math.min(Math.max(2, availableParallelism()), threadPoolSize()) + 1;
}

function threadPoolSize(): number {
  // Read by libuv itself when the pool starts; we only size our window to match it.
  const configured = Number.parseInt(process.env.UV_THREADPOOL_SIZE ?? '', 10);
  return Number.isInteger(configured) && configured > 0 ? configured : 4;
}

const MIN_BLOCK_SIZE = 4096;

/** How a compressor cuts and compresses blocks; null for `none`. */
export interface BlockCompression {
  codec: BlockCodec;
  blockSize: number;
  maxBlocksInFlight: number;
}

/** Validates the options and picks codec, block size and window for zstd/gzip (null for `none`). */
export function resolveBlockCompression(options: CompressionOptions): BlockCompression | null {
  const { algorithm, level } = resolveCompression(options);
  if (algorithm === 'none') return null;
  const blockSize = options.blockSize ?? (algorithm === 'zstd' ? ZSTD_BLOCK_SIZE : GZIP_BLOCK_SIZE);
  if (!Number.isInteger(blockSize) || blockSize < MIN_BLOCK_SIZE) {
    throw new InvalidCompressionError(
      `invalid compression block size ${blockSize}: use a whole number of bytes >= ${MIN_BLOCK_SIZE}, or omit it`,
    );
  }
  const maxBlocksInFlight = options.maxBlocksInFlight ?? defaultMaxBlocksInFlight();
  if (!Number.isInteger(maxBlocksInFlight) || maxBlocksInFlight < 1) {
    throw new InvalidCompressionError(
      `invalid maxBlocksInFlight ${maxBlocksInFlight}: use a whole number >= 1, or omit it`,
    );
  }
  const codec = algorithm === 'zstd' ? zstdBlockCodec(level) : gzipBlockCodec(level);
  return { codec, blockSize, maxBlocksInFlight };
}

/**
 * A Transform that compresses what passes through it. zstd and gzip compress independent blocks in parallel on
 * the libuv thread pool and emit concatenated zstd frames / gzip members, which `zstd -d`, `gunzip`, pigz and
 * createDecompressStream all read as one stream. `none` passes bytes through unchanged.
 */
export function createCompressStream(options: CompressionOptions): Transform {
  const blocks = resolveBlockCompression(options);
  if (!blocks) return new PassThrough({ highWaterMark: STREAM_HIGH_WATER_MARK });
  return new ParallelBlockCompressor(blocks);
}
