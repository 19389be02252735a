import { markAgeKeeps } from './age-policy.js';
import { RetentionInputError } from './errors.js';
import { markGfsKeeps } from './gfs-policy.js';
import { groupNewestFirst, isOlderThan } from './retention-candidate.js';
import type { RetentionBackup, RetentionDecision, RetentionPolicy, RetentionResult } from './types.js';
import { validatePolicy } from './validate-policy.js';

function describeDays(days: number): string {
  return days === 0 ? 'removed right away (retention 0 days)' : `older than ${days} days`;
}

/**
 * Decides every backup: each input backup appears exactly once, in `keep` or `delete`, with at least one reason.
 * Pure: no I/O, no clock (pass `now`). Throws RetentionPolicyError for an invalid policy and RetentionInputError for
 * an unparsable timestamp or `now`.
 */
export function applyRetention(
  backups: readonly RetentionBackup[],
  policy: RetentionPolicy,
  now: Date,
): RetentionResult {
  validatePolicy(policy);
  const nowMs = now.getTime();
  if (Number.isNaN(nowMs)) throw new RetentionInputError('now is an invalid Date; pass a valid Date');
  const unsuccessfulRetentionDays = policy.kind === 'age' ? policy.retentionDays : (policy.retentionDays ?? 0);

  const result: RetentionResult = { keep: [], delete: [] };
  for (const [database, group] of groupNewestFirst(backups)) {
    const successful = group.filter((candidate) => candidate.backup.status === 'success');
    const successfulDeleteReason =
      policy.kind === 'age'
        ? markAgeKeeps(successful, database, policy, nowMs)
        : markGfsKeeps(successful, database, policy);

    for (const candidate of group) {
      const { backup } = candidate;
      let decision: RetentionDecision;
      if (backup.status === 'success') {
        decision =
          candidate.keepReasons.length > 0
            ? { backup, action: 'keep', reasons: candidate.keepReasons }
            : { backup, action: 'delete', reasons: [successfulDeleteReason] };
      } else if (isOlderThan(candidate.time, unsuccessfulRetentionDays, nowMs)) {
        decision = {
          backup,
          action: 'delete',
          reasons: [`${backup.status} backup ${describeDays(unsuccessfulRetentionDays)}`],
        };
      } else {
        decision = {
          backup,
          action: 'keep',
          reasons: [`${backup.status} backup younger than ${unsuccessfulRetentionDays} days`],
        };
      }
      (decision.action === 'keep' ? result.keep : result.delete).push(decision);
    }
  }
  return result;
}
