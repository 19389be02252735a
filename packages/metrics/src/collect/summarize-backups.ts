import { type BackupLabels, backupLabels } from '../labels.js';
import type { MetricsBackupRecord } from '../metrics-catalog.js';

/** What the catalog says about one (server, database, engine, backup_type) series. */
export interface BackupSeries {
  labels: BackupLabels;
  succeeded: number;
  failed: number;
  running: number;
  /** The successful backup that finished last (see successTime); null when none succeeded. */
  lastSuccess: MetricsBackupRecord | null;
  /** finishedAt of the failed backup that ended last; null when none failed. */
  lastFailureAt: string | null;
}

/**
 * Groups backup records into series. "Last" means latest finishedAt (ties: the higher id), not latest start: the
 * recovery point a backup gives is when it finished. Times compare as text because the catalog stores them all in
 * toISOString() form.
 */
export function summarizeBackups(records: Iterable<MetricsBackupRecord>): BackupSeries[] {
  const series = new Map<string, BackupSeries>();
  for (const record of records) {
    const labels = backupLabels(record);
    const key = JSON.stringify([labels.server, labels.database, labels.engine, labels.backup_type]);
    let entry = series.get(key);
    if (entry === undefined) {
      entry = { labels, succeeded: 0, failed: 0, running: 0, lastSuccess: null, lastFailureAt: null };
      series.set(key, entry);
    }
    if (record.status === 'running') {
      entry.running++;
    } else if (record.status === 'failed') {
      entry.failed++;
      if (record.finishedAt !== null && (entry.lastFailureAt === null || record.finishedAt > entry.lastFailureAt)) {
        entry.lastFailureAt = record.finishedAt;
      }
    } else {
      entry.succeeded++;
      if (isLater(record, entry.lastSuccess)) entry.lastSuccess = record;
    }
  }
  return [...series.values()];
}

function isLater(record: MetricsBackupRecord, current: MetricsBackupRecord | null): boolean {
  if (current === null) return true;
  const [mine, theirs] = [successTime(record), successTime(current)];
  return mine !== theirs ? mine > theirs : record.id > current.id;
}

/**
 * When a successful backup's recovery point is: its finish, or its start for a record without one (an import
 * that did not know the finish time); an older recovery point, never a made-up newer one.
 */
export function successTime(record: MetricsBackupRecord): string {
  return record.finishedAt ?? record.startedAt;
}
