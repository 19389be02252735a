import { NotFoundError } from '@dbbackup/cloud';
import { applyRetention, describePolicy, type RetentionPolicy, validatePolicy } from '@dbbackup/retention';
import { type SnapshotInfo, snapshotInfoOf } from '../format/snapshot-manifest.js';
import { StoreLock } from '../locks/store-lock.js';
import { loadSnapshots, snapshotKey } from '../snapshots/snapshot-files.js';
import type { StoreContext } from '../store/store-context.js';
import { collectGarbage, type GcOptions, type GcReport } from './collect-garbage.js';

export interface PruneOptions {
  /** Decide and report, delete nothing (the gc report is then an estimate). */
  dryRun?: boolean;
  /** The time retention measures ages from (default now). */
  now?: Date;
  gc?: Omit<GcOptions, 'dryRun'>;
}

export interface PruneDecision {
  snapshot: SnapshotInfo;
  /** Why, from @dbbackup/retention: "one of the newest 3 of shop", "older than 30 days", ... */
  reasons: string[];
}

export interface PruneReport {
  dryRun: boolean;
  policy: string;
  keep: PruneDecision[];
  delete: PruneDecision[];
  gc: GcReport;
}

/**
 * Applies a retention policy to the snapshots, deletes the manifests it drops, then runs gc, all under one exclusive
 * lock. Snapshots are grouped like backups in @dbbackup/retention, by database, or by source when they have no
 * database (so two dump files backed up into one store are pruned separately). Typical policies:
 * keep-last N = `{ kind: 'gfs', keepLast: N, daily: 0, weekly: 0, monthly: 0, yearly: 0 }`;
 * retention days D = `{ kind: 'age', retentionDays: D, minBackups: 1 }`.
 * The newest snapshot of every group is always kept.
 */
export async function pruneSnapshots(
  context: StoreContext,
  policy: RetentionPolicy,
  options: PruneOptions = {},
): Promise<PruneReport> {
  validatePolicy(policy);
  return StoreLock.with(context, { exclusive: true, operation: 'prune' }, async (lock) => {
    const snapshots = await loadSnapshots(context);
    const byId = new Map(snapshots.map((snapshot) => [snapshot.id, snapshot]));
    const result = applyRetention(
      snapshots.map((snapshot) => ({
        id: snapshot.id,
        database: snapshot.database ?? snapshot.source,
        timestamp: snapshot.created,
        status: 'success' as const,
      })),
      policy,
      options.now ?? new Date(),
    );
    const decisionsOf = (decisions: typeof result.keep): PruneDecision[] =>
      decisions.map((decision) => ({
        snapshot: snapshotInfoOf(byId.get(decision.backup.id)!),
        reasons: decision.reasons,
      }));
    const dryRun = options.dryRun ?? false;
    if (!dryRun) {
      for (const decision of result.delete) {
        await context.backend.delete(snapshotKey(context, decision.backup.id)).catch((error: unknown) => {
          if (!(error instanceof NotFoundError)) throw error;
        });
      }
    }
    const keptSnapshots = result.keep.map((decision) => byId.get(decision.backup.id)!);
    const gc = await collectGarbage(context, lock, { ...options.gc, dryRun }, dryRun ? keptSnapshots : undefined);
    return {
      dryRun,
      policy: describePolicy(policy),
      keep: decisionsOf(result.keep),
      delete: decisionsOf(result.delete),
      gc,
    };
  });
}
