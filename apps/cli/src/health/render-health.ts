import { type Colour, colourTableRows } from '../output/colour.js';
import { renderTable } from '../output/render-table.js';
import {
  HEALTH_EXIT_CODES,
  type HealthCheck,
  type HealthCheckStatus,
  type HealthStatus,
  overallStatus,
  summaryLine,
} from './health-check.js';

/** The JSON document of `dbbackup health`. */
export interface HealthReport {
  status: HealthStatus;
  exit_code: 0 | 1 | 2;
  summary: string;
  checks: HealthCheck[];
}

export function buildHealthReport(checks: HealthCheck[]): HealthReport {
  const status = overallStatus(checks);
  return { status, exit_code: HEALTH_EXIT_CODES[status], summary: summaryLine(checks), checks };
}

const STATUS_COLOURS: Record<HealthCheckStatus, Colour | null> = { ok: null, warning: 'yellow', critical: 'red' };

/**
 * The checks as a table and, as the last line, the summary. `quiet` prints the summary line alone (monitoring
 * systems such as Nagios show the first line of output). With `colour` problem rows are yellow or red.
 */
export function renderHealth(report: HealthReport, options: { colour: boolean; quiet: boolean }): string {
  if (options.quiet) return `${report.summary}\n`;
  const table = renderTable(report.checks, [
    { header: 'CHECK', value: (item) => (item.target === null ? item.name : `${item.name} ${item.target}`) },
    { header: 'STATUS', value: (item) => item.status },
    { header: 'DETAIL', value: (item) => item.detail },
  ]);
  const coloured = options.colour
    ? colourTableRows(
        table,
        report.checks.map((item) => STATUS_COLOURS[item.status]),
      )
    : table;
  return `${coloured}\n${report.summary}\n`;
}
