import type { ClusterRestoreResult } from '@dbbackup/archive';
import { renderKeyValues, renderTable } from '../output/render-table.js';
import { type RestoredDatabaseReport, restoredDatabaseReport } from './restore-report.js';

/** The JSON document of `restore cluster` (snake_case keys). */
export interface RestoreClusterReport {
  /** One entry per restored database, in restore order. */
  databases: RestoredDatabaseReport[];
  duration_ms: number;
  /** Everything the engine warned about: globals it kept or skipped, and each database's warnings. */
  warnings: string[];
}

export function restoreClusterReport(result: ClusterRestoreResult): RestoreClusterReport {
  return {
    databases: result.databases.map(restoredDatabaseReport),
    duration_ms: result.durationMs,
    warnings: result.warnings,
  };
}

/** The summary for people: one row per database, then the totals. */
export function renderRestoreClusterReport(report: RestoreClusterReport, path: string): string {
  const databases = renderTable(report.databases, [
    { header: 'DATABASE', value: (database) => database.database },
    { header: 'CREATED', value: (database) => (database.created ? 'yes' : 'no') },
    { header: 'TABLES', value: (database) => database.tables, align: 'right' },
    { header: 'ROWS', value: (database) => database.rows.toLocaleString('en-US'), align: 'right' },
    { header: 'SECONDS', value: (database) => (database.duration_ms / 1000).toFixed(1), align: 'right' },
  ]);
  const rows = report.databases.reduce((sum, database) => sum + database.rows, 0);
  const summary = renderKeyValues([
    ['restored', `${report.databases.length} databases and the roles from ${path}`],
    ['rows', rows.toLocaleString('en-US')],
    ['duration', `${(report.duration_ms / 1000).toFixed(1)} s`],
    ['warnings', report.warnings.length > 0 ? `${report.warnings.length} (see --format json)` : 'none'],
  ]);
  return `${databases}\n${summary}`;
}
