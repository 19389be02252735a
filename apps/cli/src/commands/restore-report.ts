import type { ArchiveReader, RestoreMode, RestoreResult } from '@dbbackup/archive';
import { formatBytes } from '@dbbackup/pipeline';
import { renderKeyValues } from '../output/render-table.js';

/** One restored database (snake_case keys): what restore single prints, and each entry of restore cluster's list. */
export interface RestoredDatabaseReport {
  database: string;
  created: boolean;
  mode: RestoreMode;
  tables: number;
  rows: number;
  duration_ms: number;
  warnings: string[];
}

/** The JSON document of `restore single`. */
export interface RestoreReport extends RestoredDatabaseReport {
  critical_tables: string[];
  critical_ready_ms: number | null;
  /** The backup restored: file, engine, source database (the one chosen from a cluster backup) and when it was taken. */
  source: { path: string; engine: string; database: string | null; created_at: string };
}

export function restoredDatabaseReport(result: RestoreResult): RestoredDatabaseReport {
  return {
    database: result.database,
    created: result.created,
    mode: result.mode,
    tables: result.tables,
    rows: result.rows,
    duration_ms: result.durationMs,
    warnings: result.warnings,
  };
}

export function restoreReport(
  result: RestoreResult,
  request: { path: string; sourceDatabase: string | undefined },
  reader: ArchiveReader,
): RestoreReport {
  return {
    ...restoredDatabaseReport(result),
    critical_tables: result.criticalTables,
    critical_ready_ms: result.criticalReadyMs,
    source: {
      path: request.path,
      engine: reader.manifest.engine,
      database: request.sourceDatabase ?? reader.manifest.database,
      created_at: reader.manifest.startedAt,
    },
  };
}

/** The summary for people; with a tiered restore, when the critical tables were usable. */
export function renderRestoreReport(report: RestoreReport, dataBytes: number): string {
  const seconds = report.duration_ms / 1000;
  const pairs: Array<readonly [string, string | number]> = [
    ['restored', `${report.database}${report.created ? ' (created)' : ''}`],
    ['from', `${report.source.path} (${report.source.database ?? 'cluster'}, ${report.source.created_at})`],
    ['mode', report.mode],
    ['tables', report.tables],
    ['rows', report.rows.toLocaleString('en-US')],
    ['duration', `${seconds.toFixed(1)} s`],
    ['speed', seconds > 0 ? `${formatBytes(dataBytes / seconds)}/s` : '-'],
  ];
  if (report.critical_ready_ms !== null) {
    pairs.push([
      'critical',
      `${report.critical_tables.join(', ') || 'no table matched'} usable after ${(report.critical_ready_ms / 1000).toFixed(1)} s`,
    ]);
  }
  return renderKeyValues(pairs);
}
