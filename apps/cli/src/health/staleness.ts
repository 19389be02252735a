/** How old a database's newest successful backup is, against the --aging-after / --stale-after thresholds. */
export type Staleness = 'ok' | 'aging' | 'stale' | 'never';

export interface StalenessThresholds {
  /** From this age on a backup is 'aging' (default 26h: a daily backup that is a little late). */
  agingAfterMs: number;
  /** From this age on a backup is 'stale' (default 50h: a daily backup was missed twice). */
  staleAfterMs: number;
}

export const DEFAULT_AGING_AFTER = '26h';
export const DEFAULT_STALE_AFTER = '50h';

/** `ageMs` null means no successful backup at all ('never'). Thresholds are inclusive: exactly 26h old is aging. */
export function classifyStaleness(ageMs: number | null, thresholds: StalenessThresholds): Staleness {
  if (ageMs === null) return 'never';
  if (ageMs >= thresholds.staleAfterMs) return 'stale';
  if (ageMs >= thresholds.agingAfterMs) return 'aging';
  return 'ok';
}
