export { openStorageSource } from './open-storage-source.js';
export { RangedReadsUnsupportedError } from './ranged-reads-unsupported-error.js';
