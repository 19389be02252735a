import { isOlderThan, newestBackupReason, newestCountReason, type RetentionCandidate } from './retention-candidate.js';

/**
 * Age policy for the successful backups of one database (newest first): keep those not older than `retentionDays`,
 * the newest `minBackups`, and always the newest one. Returns the reason to delete the others.
 */
export function markAgeKeeps(
  successfulNewestFirst: readonly RetentionCandidate[],
  database: string | null,
  policy: { retentionDays: number; minBackups: number },
  now: number,
): string {
  successfulNewestFirst.forEach((candidate, rank) => {
    if (rank === 0) candidate.keepReasons.push(newestBackupReason(database));
    if (rank < policy.minBackups) candidate.keepReasons.push(newestCountReason(database, policy.minBackups));
    if (!isOlderThan(candidate.time, policy.retentionDays, now)) {
      candidate.keepReasons.push(`not older than ${policy.retentionDays} days`);
    }
  });
  return policy.retentionDays === 0 ? 'retention is 0 days' : `older than ${policy.retentionDays} days`;
}
