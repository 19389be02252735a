import type { RetentionPolicy } from '@dbbackup/retention';

/** `dedup prune --keep-last N`: the N newest snapshots of each database (or source). */
export function keepLastPolicy(count: number): RetentionPolicy {
  return { kind: 'gfs', keepLast: count, daily: 0, weekly: 0, monthly: 0, yearly: 0 };
}

/** `dedup prune --retention-days D`: snapshots younger than D days, and always the newest of each database (or source). */
export function retentionDaysPolicy(days: number): RetentionPolicy {
  return { kind: 'age', retentionDays: days, minBackups: 1 };
}
