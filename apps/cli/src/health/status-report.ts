import type { DatabaseStatus } from '@dbbackup/catalog';
import { type BackupSummary, summariseBackup } from './backup-summary.js';
import { classifyStaleness, type Staleness, type StalenessThresholds } from './staleness.js';

/** One database (or a cluster, `database` null) of `dbbackup status`. */
export interface DatabaseStatusRow {
  database: string | null;
  engine: string;
  host: string | null;
  /** Age of the newest successful backup (from its start: the moment its data is from); null when none succeeded. */
  age_seconds: number | null;
  staleness: Staleness;
  /** The newest backup, whatever its outcome. */
  last_backup: BackupSummary;
  /** The newest successful backup. */
  last_success: BackupSummary | null;
}

/** The JSON document of `dbbackup status`. */
export interface StatusReport {
  catalog: string;
  generated_at: string;
  thresholds: { aging_after_seconds: number; stale_after_seconds: number };
  databases: DatabaseStatusRow[];
}

export function buildStatusReport(
  statuses: readonly DatabaseStatus[],
  options: { catalog: string; now: Date; thresholds: StalenessThresholds },
): StatusReport {
  const rows = statuses.map((status): DatabaseStatusRow => {
    const ageMs = status.lastSuccess === null ? null : options.now.getTime() - Date.parse(status.lastSuccess.startedAt);
    return {
      database: status.database,
      engine: status.engine,
      host: status.host,
      age_seconds: ageMs === null ? null : Math.max(0, Math.floor(ageMs / 1000)),
      staleness: classifyStaleness(ageMs, options.thresholds),
      last_backup: summariseBackup(status.lastBackup),
      last_success: status.lastSuccess === null ? null : summariseBackup(status.lastSuccess),
    };
  });
  rows.sort(compareRows);
  return {
    catalog: options.catalog,
    generated_at: options.now.toISOString(),
    thresholds: {
      aging_after_seconds: Math.round(options.thresholds.agingAfterMs / 1000),
      stale_after_seconds: Math.round(options.thresholds.staleAfterMs / 1000),
    },
    databases: rows,
  };
}

// Databases by name, cluster backups (no database) after them; then engine and host for equal names.
function compareRows(a: DatabaseStatusRow, b: DatabaseStatusRow): number {
  if ((a.database === null) !== (b.database === null)) return a.database === null ? 1 : -1;
  return (
    (a.database ?? '').localeCompare(b.database ?? '') ||
    a.engine.localeCompare(b.engine) ||
    (a.host ?? '').localeCompare(b.host ?? '')
  );
}
