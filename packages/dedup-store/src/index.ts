/** @dbbackup/dedup-store: a deduplicating backup store (restic's repository design). See README.md. */

export type { RetentionPolicy } from '@dbbackup/retention';
export type { BackupOptions, BackupProgress, BackupResult } from './backup/run-backup.js';
export { BoundaryFinder } from './chunker/boundary-finder.js';
export { chunkStream } from './chunker/chunk-stream.js';
export {
  type ChunkerParameters,
  DEFAULT_CHUNKER_PARAMETERS,
  validateChunkerParameters,
} from './chunker/chunker-parameters.js';
export { createGearTable, PLAIN_GEAR_SEED } from './chunker/gear-table.js';
export {
  AmbiguousSnapshotIdError,
  DamagedObjectError,
  DamagedPackError,
  DedupStoreError,
  EncryptionMismatchError,
  InvalidStoreOptionError,
  type LockHolder,
  LockLostError,
  MissingChunkError,
  RestoreMismatchError,
  SnapshotNotFoundError,
  StoreAlreadyInitialisedError,
  StoreFormatError,
  StoreLockedError,
  StoreNotInitialisedError,
} from './errors.js';
export type { Snapshot, SnapshotInfo } from './format/snapshot-manifest.js';
export { DEFAULT_COMPRESSION_LEVEL, DEFAULT_PACK_SIZE, type StoreConfig } from './format/store-config.js';
export { DEFAULT_LOCK_OPTIONS, type LockOptions } from './locks/lock-options.js';
export type { GcOptions, GcReport } from './maintenance/collect-garbage.js';
export { keepLastPolicy, retentionDaysPolicy } from './maintenance/prune-policies.js';
export type { PruneDecision, PruneOptions, PruneReport } from './maintenance/prune-snapshots.js';
export type { RebuildIndexReport } from './maintenance/rebuild-index.js';
export type { VerifyOptions, VerifyProblem, VerifyProblemKind, VerifyReport } from './maintenance/verify-store.js';
export type { RestoreOptions, RestoreResult } from './restore/restore-snapshot.js';
export { DedupStore } from './store/dedup-store.js';
export {
  type InitStoreOptions,
  initStore,
  type OpenStoreOptions,
  openOrInitStore,
  openStore,
} from './store/open-store.js';
export type { StoreStats } from './store/store-stats.js';
