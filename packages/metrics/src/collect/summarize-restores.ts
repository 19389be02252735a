import { type RestoreLabels, restoreLabels } from '../labels.js';
import type { MetricsRestoreRecord } from '../metrics-catalog.js';

/** What the catalog says about the restores into one (server, database, engine). */
export interface RestoreSeries {
  labels: RestoreLabels;
  succeeded: number;
  failed: number;
  /** The successful restore that finished last; null when none succeeded. */
  lastSuccess: MetricsRestoreRecord | null;
}

/** Groups restore records by target; running restores are left out until they end. */
export function summarizeRestores(records: Iterable<MetricsRestoreRecord>): RestoreSeries[] {
  const series = new Map<string, RestoreSeries>();
  for (const record of records) {
    if (record.status === 'running') continue;
    const labels = restoreLabels(record);
    const key = JSON.stringify([labels.server, labels.database, labels.engine]);
    let entry = series.get(key);
    if (entry === undefined) {
      entry = { labels, succeeded: 0, failed: 0, lastSuccess: null };
      series.set(key, entry);
    }
    if (record.status === 'failed') {
      entry.failed++;
      continue;
    }
    entry.succeeded++;
    if (isLater(record, entry.lastSuccess)) entry.lastSuccess = record;
  }
  return [...series.values()];
}

function isLater(record: MetricsRestoreRecord, current: MetricsRestoreRecord | null): boolean {
  if (current === null) return true;
  const [mine, theirs] = [record.finishedAt ?? '', current.finishedAt ?? ''];
  return mine !== theirs ? mine > theirs : record.id > current.id;
}
