import { basename } from 'node:path';
import { formatBytes } from '@dbbackup/pipeline';
import { renderTable } from '../output/render-table.js';
import type { SkippedFile } from './local-cleanup-candidates.js';

/** One backup in the JSON document of `cleanup`. */
export interface CleanupEntry {
  /** The absolute path or the cloud URI. */
  location: string;
  database: string | null;
  /** When the backup started (the file name's UTC stamp, else the manifest / sidecar time), ISO 8601 UTC. */
  timestamp: string;
  status: 'success' | 'incomplete';
  bytes: number;
  reasons: string[];
}

/** The JSON document of `cleanup` (with --dry-run: `deleted` is what would be deleted, and nothing was). */
export interface CleanupReport {
  /** The directory or the cloud folder cleaned. */
  target: string;
  policy: string;
  dry_run: boolean;
  kept: CleanupEntry[];
  deleted: CleanupEntry[];
  /** Backups the policy deletes whose deletion failed (left in place, or partly: see error). */
  failed: Array<CleanupEntry & { error: string }>;
  /** Files left alone and not counted: .partial files being written, unreadable files or sidecars. */
  skipped: SkippedFile[];
}

type Row = CleanupEntry & { action: string };

/** Per database, newest first: KEEP / DELETE / FAILED with the reasons; then what was skipped and a summary. */
export function renderCleanupReport(report: CleanupReport): string {
  const rows: Row[] = [
    ...report.kept.map((entry) => ({ ...entry, action: 'KEEP' })),
    ...report.deleted.map((entry) => ({ ...entry, action: 'DELETE' })),
    ...report.failed.map((entry) => ({ ...entry, action: 'FAILED', reasons: [...entry.reasons, entry.error] })),
  ];
  const databases = [...new Set(rows.map((row) => row.database))].sort((left, right) =>
    (left ?? '').localeCompare(right ?? ''),
  );
  const sections = [`${report.target}: ${report.policy}`, ''];
  if (rows.length === 0) sections.push(`no backups in ${report.target}`, '');
  for (const database of databases) {
    const own = rows
      .filter((row) => row.database === database)
      .sort((left, right) => right.timestamp.localeCompare(left.timestamp));
    sections.push(`${database ?? 'cluster backups'}:`);
    sections.push(
      renderTable(own, [
        { header: 'ACTION', value: (row) => row.action },
        { header: 'STARTED (UTC)', value: (row) => row.timestamp.replace('T', ' ').replace(/\.000Z$|Z$/, '') },
        {
          header: 'BACKUP',
          value: (row) => `${basename(row.location)}${row.status === 'incomplete' ? ' (incomplete)' : ''}`,
        },
        { header: 'SIZE', value: (row) => formatBytes(row.bytes), align: 'right' },
        { header: 'WHY', value: (row) => row.reasons.join('; ') },
      ]),
    );
  }
  if (report.skipped.length > 0) {
    sections.push(
      'left alone (not counted):',
      ...report.skipped.map((file) => `  ${basename(file.location)}: ${file.reason}`),
      '',
    );
  }
  sections.push(summaryLine(report));
  return sections.join('\n');
}

function summaryLine(report: CleanupReport): string {
  const bytes = formatBytes(report.deleted.reduce((total, entry) => total + entry.bytes, 0));
  const count = (n: number) => `${n} backup${n === 1 ? '' : 's'}`;
  if (report.dry_run) {
    return `dry run: would delete ${count(report.deleted.length)} (${bytes}) and keep ${report.kept.length}; nothing was deleted`;
  }
  const failed = report.failed.length > 0 ? `; ${report.failed.length} could not be deleted` : '';
  return `deleted ${count(report.deleted.length)} (${bytes}), kept ${report.kept.length}${failed}`;
}
