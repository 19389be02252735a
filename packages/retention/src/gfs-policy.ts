import { isoWeekKey, utcDayKey, utcMonthKey, utcYearKey } from './calendar-periods.js';
import { newestBackupReason, type RetentionCandidate } from './retention-candidate.js';

export interface GfsCounts {
  keepLast: number;
  daily: number;
  weekly: number;
  monthly: number;
  yearly: number;
}

interface BucketKind {
  count: number;
  /** The period a backup falls in; backups of one period share one bucket. */
  periodOf: (time: number, rank: number) => string;
  reason: (period: string) => string;
}

/**
 * GFS for the successful backups of one database (newest first), the bucket walk of restic's ApplyPolicy: per kind,
 * keep a backup when its period differs from the last kept one of that kind, until `count` periods are kept. Only
 * periods that have a backup count, so gaps cost nothing. Unlike restic we do not also keep the oldest
 * backup while a kind has counts left: a kind keeps only the newest backup of each period, so "daily 7" never keeps a
 * second backup of one day.
 */
export function markGfsKeeps(
  successfulNewestFirst: readonly RetentionCandidate[],
  database: string | null,
  counts: GfsCounts,
): string {
  const kinds: BucketKind[] = [
    { count: counts.keepLast, periodOf: (_time, rank) => String(rank), reason: () => `last ${counts.keepLast}` },
    { count: counts.daily, periodOf: utcDayKey, reason: (period) => `daily ${period}` },
    { count: counts.weekly, periodOf: isoWeekKey, reason: (period) => `weekly ${period}` },
    { count: counts.monthly, periodOf: utcMonthKey, reason: (period) => `monthly ${period}` },
    { count: counts.yearly, periodOf: utcYearKey, reason: (period) => `yearly ${period}` },
  ];
  for (const kind of kinds) {
    let remaining = kind.count;
    let lastKeptPeriod: string | undefined;
    for (const [rank, candidate] of successfulNewestFirst.entries()) {
      if (remaining === 0) break;
      const period = kind.periodOf(candidate.time, rank);
      if (period === lastKeptPeriod) continue;
      candidate.keepReasons.push(kind.reason(period));
      lastKeptPeriod = period;
      remaining--;
    }
  }
  const newest = successfulNewestFirst[0];
  if (newest) newest.keepReasons.unshift(newestBackupReason(database));
  return 'not kept by any GFS rule';
}
