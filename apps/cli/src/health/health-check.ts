/** The result of one health check. */
export type HealthCheckStatus = 'ok' | 'warning' | 'critical';

export interface HealthCheck {
  /** Which check: config, catalog, connectivity, database, freshness, gaps, verification, disk. */
  name: string;
  /** What it looked at when the check runs once per engine or database ('postgresql', 'shop'); null otherwise. */
  target: string | null;
  status: HealthCheckStatus;
  /** One line: what was found, and for problems what to do. */
  detail: string;
}

/** Overall status of `dbbackup health`, as the JSON document's `status`. */
export type HealthStatus = 'healthy' | 'warning' | 'critical';

/** Nagios-style exit codes: 0 healthy, 1 warning, 2 critical. */
export const HEALTH_EXIT_CODES = { healthy: 0, warning: 1, critical: 2 } as const satisfies Record<
  HealthStatus,
  0 | 1 | 2
>;

export function check(name: string, target: string | null, status: HealthCheckStatus, detail: string): HealthCheck {
  return { name, target, status, detail };
}

/** The worst status among the checks. */
export function overallStatus(checks: readonly HealthCheck[]): HealthStatus {
  if (checks.some((item) => item.status === 'critical')) return 'critical';
  if (checks.some((item) => item.status === 'warning')) return 'warning';
  return 'healthy';
}

/**
 * The one-line summary that ends the table output, for people and for monitoring systems that show one line:
 * `health: healthy (8 checks ok)`, `health: warning (1 warning: backup of shop is 30h old, max 26h)`,
 * `health: critical (1 critical: ...; 2 warnings: ...; ...)`. Each problem is its detail up to the first '; '.
 */
export function summaryLine(checks: readonly HealthCheck[]): string {
  const status = overallStatus(checks);
  if (status === 'healthy') return `health: healthy (${checks.length} ${plural(checks.length, 'check')} ok)`;
  const groups: string[] = [];
  for (const level of ['critical', 'warning'] as const) {
    const found = checks.filter((item) => item.status === level);
    if (found.length === 0) continue;
    const label =
      level === 'critical' ? `${found.length} critical` : `${found.length} ${plural(found.length, 'warning')}`;
    groups.push(`${label}: ${found.map((item) => headline(item.detail)).join('; ')}`);
  }
  return `health: ${status} (${groups.join('; ')})`;
}

// What was found, without the advice after it (the table has that): keeps the line short and its '; ' separators clear.
function headline(detail: string): string {
  return detail.split('; ')[0] ?? detail;
}

function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`;
}
