import type { NotifyStatus, Severity } from './events.js';

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { info: 0, warning: 1, critical: 2 };

/**
 * failed and warning events are `warning`; they become `critical` once `consecutiveFailures` reaches `escalateAfter`
 * (N failures in a row of one database). Everything else is `info`.
 */
export function severityOf(
  status: NotifyStatus,
  consecutiveFailures: number | undefined,
  escalateAfter: number,
): Severity {
  if (status !== 'failed' && status !== 'warning') return 'info';
  return consecutiveFailures !== undefined && consecutiveFailures >= escalateAfter ? 'critical' : 'warning';
}

export function highestSeverity(severities: Iterable<Severity>): Severity {
  let highest: Severity = 'info';
  for (const severity of severities) if (SEVERITY_RANK[severity] > SEVERITY_RANK[highest]) highest = severity;
  return highest;
}
