import type { BackupRecord, RestoreRecord } from '@dbbackup/catalog';

/**
 * What the metrics read from a catalog. `Catalog` (opened with `Catalog.openReadOnly`) satisfies it; anything else
 * that can list the same records (a test, a cache) may stand in. Only the fields named here are read.
 */
export interface MetricsCatalog {
  listBackups(): Promise<ReadonlyArray<MetricsBackupRecord>>;
  listRestores(): Promise<ReadonlyArray<MetricsRestoreRecord>>;
}

export type MetricsBackupRecord = Pick<
  BackupRecord,
  | 'id'
  | 'database'
  | 'engine'
  | 'host'
  | 'kind'
  | 'status'
  | 'startedAt'
  | 'finishedAt'
  | 'durationMs'
  | 'bytes'
  | 'verification'
>;

export type MetricsRestoreRecord = Pick<
  RestoreRecord,
  'id' | 'database' | 'engine' | 'host' | 'status' | 'finishedAt' | 'durationMs'
>;
