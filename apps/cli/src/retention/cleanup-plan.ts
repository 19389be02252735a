import { applyRetention, type RetentionDecision, type RetentionPolicy } from '@dbbackup/retention';
import type { CleanupCandidate } from './cleanup-candidate.js';

export interface PlannedBackup {
  candidate: CleanupCandidate;
  reasons: string[];
}

/** What the policy says for every candidate, and the databases it would leave without a single successful backup. */
export interface CleanupPlan {
  keep: PlannedBackup[];
  delete: PlannedBackup[];
  /**
   * Retention groups (see CleanupCandidate.group) the plan would leave with no backup at all. The policies always keep
   * a database's newest successful backup, so this is a database whose backups all failed or never finished; checked
   * here anyway so that no policy change can silently empty a database.
   */
  emptiedGroups: Array<string | null>;
}

export function planCleanup(candidates: readonly CleanupCandidate[], policy: RetentionPolicy, now: Date): CleanupPlan {
  const byId = new Map(candidates.map((candidate) => [candidate.location, candidate]));
  const result = applyRetention(
    candidates.map((candidate) => ({
      id: candidate.location,
      database: candidate.group,
      timestamp: candidate.timestamp,
      status: candidate.status,
    })),
    policy,
    now,
  );
  const planned = (decision: RetentionDecision): PlannedBackup => ({
    candidate: byId.get(decision.backup.id)!,
    reasons: decision.reasons,
  });
  const keep = result.keep.map(planned);
  const remove = result.delete.map(planned);
  const keptGroups = new Set(keep.map(groupOf));
  const emptiedGroups = [...new Set(remove.map(groupOf))].filter((group) => !keptGroups.has(group));
  return { keep, delete: remove, emptiedGroups };
}

function groupOf(entry: PlannedBackup): string | null {
  return entry.candidate.group;
}
