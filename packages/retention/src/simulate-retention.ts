import { applyRetention } from './apply-retention.js';
import { RetentionInputError } from './errors.js';
import type { RetentionBackup, RetentionPolicy } from './types.js';
import { validatePolicy } from './validate-policy.js';

export interface StoragePoint {
  at: Date;
  backups: number;
  bytes: number;
}

export interface RetentionSimulation {
  /** Backups left at the end, newest first. */
  kept: Date[];
  /** Backups retention removed along the way, newest first. */
  deleted: Date[];
  /** The oldest backup one could still restore at the end; null when none is left. */
  oldestRestorable: Date | null;
  /** After each backup (and the final run at `now`, if given): how many backups exist and their size. */
  storageOverTime: StoragePoint[];
}

/**
 * Replays a schedule of successful backups of one database: after each backup is taken, retention runs with now =
 * that time on the backups still there (a deleted backup stays deleted); if `options.now` is given, one last run at
 * `now`. `backupBytes` (default 1, so bytes count backups) is the size of each backup.
 *
 * For both policy kinds the final `kept` equals what applyRetention on all timestamps at the final now keeps (what
 * `cleanup --dry-run` would say): a backup deleted at one step is old or outranked by newer backups of its period,
 * and later backups only make that more so. The property test in test/simulate-retention.test.ts checks this.
 */
export function simulateRetention(
  timestamps: readonly Date[],
  policy: RetentionPolicy,
  options: { now?: Date; backupBytes?: number } = {},
): RetentionSimulation {
  validatePolicy(policy);
  const backupBytes = options.backupBytes ?? 1;
  if (!Number.isFinite(backupBytes) || backupBytes < 0) {
    throw new RetentionInputError(`backupBytes is ${backupBytes}; use a number of bytes of 0 or more`);
  }
  const schedule: RetentionBackup[] = timestamps
    .map((timestamp, index) => {
      if (Number.isNaN(timestamp.getTime())) {
        throw new RetentionInputError(`timestamp ${index + 1} is an invalid Date; pass valid Dates`);
      }
      return { id: String(index), database: null, timestamp, status: 'success' as const };
    })
    .sort((a, b) => (a.timestamp as Date).getTime() - (b.timestamp as Date).getTime());
  const newest = schedule.at(-1)?.timestamp as Date | undefined;
  if (options.now && newest && options.now.getTime() < newest.getTime()) {
    throw new RetentionInputError(
      `now (${options.now.toISOString()}) is before the newest backup (${newest.toISOString()}); pass a later now`,
    );
  }

  let present: RetentionBackup[] = [];
  const deleted: RetentionBackup[] = [];
  const storageOverTime: StoragePoint[] = [];
  const runRetention = (at: Date): void => {
    const result = applyRetention(present, policy, at);
    present = result.keep.map((decision) => decision.backup);
    for (const decision of result.delete) deleted.push(decision.backup);
    storageOverTime.push({ at, backups: present.length, bytes: present.length * backupBytes });
  };
  for (const backup of schedule) {
    present.push(backup);
    runRetention(backup.timestamp as Date);
  }
  if (options.now) runRetention(options.now);

  const newestFirst = (backups: RetentionBackup[]): Date[] =>
    backups.map((backup) => backup.timestamp as Date).sort((a, b) => b.getTime() - a.getTime());
  const kept = newestFirst(present);
  return { kept, deleted: newestFirst(deleted), oldestRestorable: kept.at(-1) ?? null, storageOverTime };
}
