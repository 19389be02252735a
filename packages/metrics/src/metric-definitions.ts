import { BACKUP_LABEL_NAMES, RESTORE_LABEL_NAMES } from './labels.js';

export interface MetricDefinition {
  readonly name: string;
  readonly type: 'gauge' | 'counter';
  readonly help: string;
  readonly labelNames: readonly string[];
}

/**
 * Every metric this package exposes. Names, types and labels are a public contract (users' dashboards and alert
 * rules query them): add metrics freely, but never rename one or change its labels. The README's table lists them.
 */
export const METRICS = {
  buildInfo: {
    name: 'dbbackup_build_info',
    type: 'gauge',
    help: 'Version and git commit of the dbbackup that produced these metrics; the value is always 1.',
    labelNames: ['version', 'commit'],
  },
  catalogUp: {
    name: 'dbbackup_catalog_up',
    type: 'gauge',
    help: 'Whether the backup catalog could be read for this scrape (1) or not (0); when 0 only build_info is exposed besides it.',
    labelNames: [],
  },
  backupTotal: {
    name: 'dbbackup_backup_total',
    type: 'counter',
    help: 'Backups recorded in the catalog that ended, by status (success or failed); a running backup counts once it ends. Deleting catalog records (cleanup) lowers it, which Prometheus treats as a counter reset.',
    labelNames: [...BACKUP_LABEL_NAMES, 'status'],
  },
  backupRunning: {
    name: 'dbbackup_backup_running',
    type: 'gauge',
    help: 'Backups recorded as running: started and not yet ended (or interrupted before they could record their end).',
    labelNames: BACKUP_LABEL_NAMES,
  },
  backupByType: {
    name: 'dbbackup_backup_by_type',
    type: 'gauge',
    help: 'Backups in the catalog, whatever their status (success, failed, running).',
    labelNames: BACKUP_LABEL_NAMES,
  },
  lastSuccessTimestamp: {
    name: 'dbbackup_last_success_timestamp',
    type: 'gauge',
    help: 'Unix time in seconds at which the last successful backup finished; absent when none ever succeeded.',
    labelNames: BACKUP_LABEL_NAMES,
  },
  lastBackupDuration: {
    name: 'dbbackup_last_backup_duration_seconds',
    type: 'gauge',
    help: 'How long the last successful backup took, in seconds.',
    labelNames: BACKUP_LABEL_NAMES,
  },
  lastBackupSize: {
    name: 'dbbackup_last_backup_size_bytes',
    type: 'gauge',
    help: 'Size in bytes of the last successful backup as stored (compressed, encrypted).',
    labelNames: BACKUP_LABEL_NAMES,
  },
  rpo: {
    name: 'dbbackup_rpo_seconds',
    type: 'gauge',
    help: 'Seconds since the last successful backup finished: the data that would be lost if the database were lost now. Absent when none ever succeeded (dbbackup_backup_total{status="success"} is then 0).',
    labelNames: BACKUP_LABEL_NAMES,
  },
  backupVerified: {
    name: 'dbbackup_backup_verified',
    type: 'gauge',
    help: "1 when the last successful backup's latest verification passed, 0 when it failed or the backup was never verified.",
    labelNames: BACKUP_LABEL_NAMES,
  },
  lastFailureTimestamp: {
    name: 'dbbackup_last_failure_timestamp',
    type: 'gauge',
    help: 'Unix time in seconds at which the last failed backup ended; absent when none failed.',
    labelNames: BACKUP_LABEL_NAMES,
  },
  restoreTotal: {
    name: 'dbbackup_restore_total',
    type: 'counter',
    help: 'Restores recorded in the catalog that ended, by status (success or failed); server is the target host.',
    labelNames: [...RESTORE_LABEL_NAMES, 'status'],
  },
  restoreDuration: {
    name: 'dbbackup_restore_duration_seconds',
    type: 'gauge',
    help: 'How long the last successful restore into this database took, in seconds (the time a restore needs now).',
    labelNames: RESTORE_LABEL_NAMES,
  },
  lastRestoreSuccessTimestamp: {
    name: 'dbbackup_last_restore_success_timestamp',
    type: 'gauge',
    help: 'Unix time in seconds at which the last successful restore into this database finished.',
    labelNames: RESTORE_LABEL_NAMES,
  },
  dedupDatabaseLastBackup: {
    name: 'dbbackup_dedup_database_last_backup_timestamp',
    type: 'gauge',
    help: 'Unix time in seconds at which the newest snapshot of a database in a deduplicating store (dbbackup dedup) started; store is the store location.',
    labelNames: ['server', 'database', 'engine', 'store'],
  },
  dedupStoreUp: {
    name: 'dbbackup_dedup_store_up',
    type: 'gauge',
    help: 'Whether a deduplicating store could be read for this scrape (1) or not (0).',
    labelNames: ['store'],
  },
} as const satisfies Record<string, MetricDefinition>;
