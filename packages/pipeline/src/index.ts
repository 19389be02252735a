export { compressBuffer } from './compression/compress-buffer.js';
export { createCompressStream, defaultMaxBlocksInFlight } from './compression/compress-stream.js';
export {
  assertCompressionAlgorithm,
  COMPRESSION_LEVEL_RANGE,
  type CompressionAlgorithm,
  type CompressionOptions,
  compressionExtension,
  DEFAULT_COMPRESSION_LEVEL,
  isCompressionAlgorithm,
  resolveCompression,
} from './compression/compression-options.js';
export { createDecompressStream } from './compression/decompress-stream.js';
export { type BlockCodec, ParallelBlockCompressor } from './compression/parallel-block-compressor.js';
export { ByteCounter, countNewlines, LineCounter } from './counters.js';
export {
  CorruptCompressedDataError,
  DigestNotReadyError,
  InvalidCompressionError,
  InvalidRateError,
} from './errors.js';
export { Sha256Stream } from './hash.js';
export {
  createProgressTap,
  type ProgressSnapshot,
  ProgressTracker,
  type ProgressTrackerEvents,
  type ProgressTrackerOptions,
} from './progress.js';
export { formatBytes, formatCount, formatDuration, renderProgressLine } from './progress-line.js';
export { parseRate } from './rate.js';
export { createThrottle, TokenBucketThrottle } from './throttle.js';
