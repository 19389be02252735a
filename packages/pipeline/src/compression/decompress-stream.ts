import { PassThrough, type Transform } from 'node:stream';
import zlib from 'node:zlib';
import { STREAM_HIGH_WATER_MARK, ZLIB_CHUNK_SIZE } from '../stream-sizes.js';
import { assertCompressionAlgorithm, type CompressionAlgorithm } from './compression-options.js';
import { ZstdMultiFrameDecompressor } from './zstd-multi-frame-decompressor.js';

/**
 * A Transform that undoes createCompressStream. Reads multi-member gzip and multi-frame zstd (ours, or written by
 * gzip/pigz/zstd); damaged or truncated input makes the stream error.
 */
export function createDecompressStream(algorithm: CompressionAlgorithm): Transform {
  assertCompressionAlgorithm(algorithm);
  if (algorithm === 'zstd') return new ZstdMultiFrameDecompressor();
  if (algorithm === 'gzip') return zlib.createGunzip({ chunkSize: ZLIB_CHUNK_SIZE });
  return new PassThrough({ highWaterMark: STREAM_HIGH_WATER_MARK });
}
