/** @dbbackup/cloud/testing: the StorageBackend conformance suite (needs vitest) and its deterministic test bodies. */
export { type ConformanceTarget, MULTIPART_OBJECT_SIZE, runConformanceSuite } from './conformance.js';
export {
  patternBuffer,
  patternChunks,
  patternSha256,
  patternStream,
  readAll,
  streamDigest,
} from './pattern-bytes.js';
