export { deletePublishedBackup } from './delete-published-backup.js';
export { listPublishedBackups, listUnpublishedObjects, type PublishedBackup } from './list-published-backups.js';
export { type PublishedResult, type PublishOptions, publishBackup } from './publish-backup.js';
export { type BackupSidecar, readBackupSidecar, SIDECAR_SUFFIX, sidecarKeyOf } from './sidecar.js';
