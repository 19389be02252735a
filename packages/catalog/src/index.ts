/**
 * @dbbackup/catalog: the SQLite record of backups, their verifications and restores (kysely + better-sqlite3), and
 * the ways to rebuild, check and export it from the backup files themselves.
 */
export { Catalog } from './catalog.js';
export { type CheckProblem, type CheckResult, checkCatalogFiles } from './check/check-catalog-files.js';
export { BUSY_TIMEOUT_MS } from './database/open-database.js';
export {
  CatalogError,
  CatalogOpenError,
  CatalogRecordNotFoundError,
  CatalogVersionError,
  CatalogWriteError,
  InvalidDurationError,
  InvalidTimeError,
} from './errors.js';
export { EXPORT_COLUMNS, type ExportColumn } from './export/backup-columns.js';
export { escapeHtml } from './export/escape-html.js';
export { renderBackupsCsv } from './export/render-backups-csv.js';
export { type HtmlExportOptions, renderBackupsHtml } from './export/render-backups-html.js';
export { formatElapsed, formatPercent, formatSize } from './format/human-values.js';
export { statsOfRecords } from './queries/stats-of-records.js';
export { recordFromHeader, recordFromManifest } from './scan/archive-record.js';
// For syncing backups that are not in a local directory (cloud storage): the same records a directory scan makes.
export { parseBackupFileName, stripBackupExtension } from './scan/backup-file-name.js';
export { BackupDirectoryError, type ScanOptions, scanBackupDirectory } from './scan/scan-backup-directory.js';
export type { ScannedBackup } from './scan/scanned-backup.js';
export { type SyncOptions, type SyncResult, syncDirectory } from './sync/sync-directory.js';
export { normalizeTime } from './time/normalize-time.js';
export { parseDuration } from './time/parse-duration.js';
export * from './types.js';
export {
  readVerificationHistory,
  readVerificationSidecar,
  SidecarFormatError,
  type SidecarVerification,
  verificationSidecarPath,
  writeVerificationSidecar,
} from './verification/verification-sidecar.js';
