import { RetentionInputError } from './errors.js';
import type { RetentionBackup } from './types.js';

export const DAY_MS = 86_400_000;

/** A backup under consideration: its parsed time, input position (ties keep input order) and the reasons to keep it. */
export interface RetentionCandidate {
  backup: RetentionBackup;
  time: number;
  inputIndex: number;
  keepReasons: string[];
}

export function timestampToMs(timestamp: string | Date, what: string): number {
  const time = timestamp instanceof Date ? timestamp.getTime() : Date.parse(timestamp);
  if (Number.isNaN(time)) {
    throw new RetentionInputError(
      `${what} has the timestamp ${String(timestamp)}, which is not a valid date; use ISO 8601`,
    );
  }
  return time;
}

/**
 * Groups backups by database in the order each database first appears; each group sorted newest first (a stable sort,
 * so backups with the same timestamp keep their input order).
 */
export function groupNewestFirst(backups: readonly RetentionBackup[]): Map<string | null, RetentionCandidate[]> {
  const groups = new Map<string | null, RetentionCandidate[]>();
  backups.forEach((backup, inputIndex) => {
    const candidate = {
      backup,
      time: timestampToMs(backup.timestamp, `backup ${backup.id}`),
      inputIndex,
      keepReasons: [],
    };
    const group = groups.get(backup.database);
    if (group) group.push(candidate);
    else groups.set(backup.database, [candidate]);
  });
  for (const group of groups.values()) group.sort((a, b) => b.time - a.time || a.inputIndex - b.inputIndex);
  return groups;
}

/** retentionDays 0 means every backup is old enough; otherwise strictly older than now minus the days. */
export function isOlderThan(time: number, retentionDays: number, now: number): boolean {
  return retentionDays === 0 || time < now - retentionDays * DAY_MS;
}

export function newestBackupReason(database: string | null): string {
  return database === null ? 'newest cluster backup' : `newest backup of ${database}`;
}

export function newestCountReason(database: string | null, count: number): string {
  return database === null ? `one of the newest ${count} cluster backups` : `one of the newest ${count} of ${database}`;
}
