import type { BackupGap } from '@dbbackup/catalog';
import { formatAge, formatThreshold } from './format-age.js';
import { check, type HealthCheck } from './health-check.js';

/** How far back finished gaps count: older ones are history, not something to act on. */
export const GAP_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * gaps: the catalog's gaps between successful backups longer than maxAge (Catalog.gaps with intervalMs = maxAge)
 * that ended within the last 7 days → warning naming each; none → ok. A gap still open (no backup since) is what
 * freshness reports, so it is not repeated here. `gaps` must already be limited to the databases checked.
 */
export function checkGaps(gaps: readonly BackupGap[], maxAgeMs: number, now: Date): HealthCheck {
  const recent = gaps
    .filter((gap) => gap.to !== null && now.getTime() - Date.parse(gap.to) <= GAP_WINDOW_MS)
    .sort((a, b) => Date.parse(b.to ?? '') - Date.parse(a.to ?? ''));
  const max = formatThreshold(maxAgeMs);
  if (recent.length === 0) {
    return check('gaps', null, 'ok', `no gap longer than ${max} between backups in the last 7 days`);
  }
  const named = recent.map(
    (gap) =>
      `${gap.database ?? 'cluster'} had no backup for ${formatAge(gap.gapMs)} until ${formatAge(now.getTime() - Date.parse(gap.to ?? ''))} ago`,
  );
  return check(
    'gaps',
    null,
    'warning',
    `${recent.length} ${recent.length === 1 ? 'gap' : 'gaps'} longer than ${max} in the last 7 days: ${named.join(', ')}`,
  );
}
