/** @dbbackup/cloud: where backups are kept. See README.md. */

// The S3, Azure, GCS and SFTP constructors are in '@dbbackup/cloud/backends': importing them loads their SDKs.
export type { AzureBackendOptions } from './backends/azure/index.js';
export type { GcsBackendOptions } from './backends/gcs/index.js';
export { createLocalBackend, type LocalBackendOptions } from './backends/local/index.js';
export type { S3BackendOptions } from './backends/s3/index.js';
export { HostKeyVerificationError } from './backends/sftp/host-key-check.js';
export type { SftpBackendOptions } from './backends/sftp/index.js';
export { AuthenticationError, InvalidStorageUriError, NotFoundError, StorageError } from './errors.js';
export { type OpenedStorage, type OpenStorageOptions, openStorage } from './open-storage.js';
export {
  type BackupSidecar,
  deletePublishedBackup,
  listPublishedBackups,
  listUnpublishedObjects,
  type PublishedBackup,
  type PublishedResult,
  type PublishOptions,
  publishBackup,
  readBackupSidecar,
  SIDECAR_SUFFIX,
  sidecarKeyOf,
} from './publish/index.js';
export { openStorageSource, RangedReadsUnsupportedError } from './random-access/index.js';
export type {
  BackendKind,
  ByteRange,
  IncompleteUpload,
  ObjectInfo,
  PutOptions,
  PutResult,
  StorageBackend,
  StorageCapabilities,
} from './storage-backend.js';
export {
  ACCEPTED_STORAGE_URIS,
  formatStorageLocation,
  isStorageUri,
  parseStorageUri,
  type StorageLocation,
  type StorageLocationKind,
} from './uri/index.js';
export {
  backoffDelayMs,
  createReplayableBody,
  isRetryableError,
  type RetryEvent,
  type RetryOptions,
  type StorageLogger,
  withLogging,
  withRetry,
  withThrottle,
} from './wrappers/index.js';
