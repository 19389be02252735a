import { formatBytes } from '@dbbackup/pipeline';
import { type Colour, colourTableRows } from '../output/colour.js';
import { renderTable } from '../output/render-table.js';
import { verificationWord } from './backup-summary.js';
import { formatAge, formatThreshold } from './format-age.js';
import type { Staleness } from './staleness.js';
import type { DatabaseStatusRow, StatusReport } from './status-report.js';

const STALENESS_COLOURS: Record<Staleness, Colour | null> = {
  ok: 'green',
  aging: 'yellow',
  stale: 'red',
  never: 'red',
};

/**
 * `dbbackup status` as a table: one row per database, then the thresholds. With `colour` (a terminal, no
 * NO_COLOR) each row is green, yellow or red by its staleness.
 */
export function renderStatus(report: StatusReport, options: { colour: boolean; now: Date }): string {
  const thresholds =
    `aging after ${formatThreshold(report.thresholds.aging_after_seconds * 1000)}, ` +
    `stale after ${formatThreshold(report.thresholds.stale_after_seconds * 1000)}`;
  if (report.databases.length === 0) {
    return (
      `no backups recorded in the catalog ${report.catalog}; back up with dbbackup backup single DATABASE, ` +
      'or add existing backups with dbbackup catalog sync DIR\n'
    );
  }
  const ago = (iso: string) => `${formatAge(options.now.getTime() - Date.parse(iso))} ago`;
  const table = renderTable(report.databases, [
    { header: 'DATABASE', value: (row) => row.database ?? 'cluster' },
    { header: 'ENGINE', value: (row) => row.engine },
    { header: 'HOST', value: (row) => row.host },
    { header: 'LAST SUCCESS', value: (row) => (row.last_success ? ago(row.last_success.started_at) : 'never') },
    { header: 'STALENESS', value: (row) => row.staleness },
    { header: 'SIZE', value: (row) => bytesOf(row), align: 'right' },
    { header: 'ENCRYPTED', value: (row) => (row.last_success ? (row.last_success.encrypted ? 'yes' : 'no') : null) },
    {
      header: 'VERIFICATION',
      value: (row) => (row.last_success ? verificationWord(row.last_success.verification) : null),
    },
    { header: 'LAST RUN', value: (row) => lastRun(row, ago) },
  ]);
  const coloured = options.colour
    ? colourTableRows(
        table,
        report.databases.map((row) => STALENESS_COLOURS[row.staleness]),
      )
    : table;
  return `${coloured}\n${thresholds}\n`;
}

function bytesOf(row: DatabaseStatusRow): string | null {
  const bytes = row.last_success?.bytes;
  return bytes === null || bytes === undefined ? null : formatBytes(bytes);
}

// The newest attempt when it is not the newest success: a failure or a backup still running says more than "ok".
function lastRun(row: DatabaseStatusRow, ago: (iso: string) => string): string {
  const last = row.last_backup;
  if (row.last_success !== null && last.location === row.last_success.location) return 'success';
  return `${last.status} ${ago(last.started_at)}`;
}
