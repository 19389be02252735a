/** One backup as retention sees it. Times are instants; every calendar decision is made in UTC. */
export interface RetentionBackup {
  /** Anything that identifies it to the caller (a path, a URI, a catalog id). */
  id: string;
  /** Policies apply per database; null is a cluster backup (its own group). */
  database: string | null;
  /** When the backup was taken (its start), ISO 8601 or a Date. */
  timestamp: string | Date;
  /** failed and incomplete backups never count as kept; they are removed once older than retentionDays. */
  status: 'success' | 'failed' | 'incomplete';
}

/**
 * age: delete successful backups older than `retentionDays`, but always keep the newest `minBackups` per database
 * (retentionDays 0: every backup is old enough).
 * gfs: per database, keep the newest backup of each of the `daily` newest distinct UTC days that have one, likewise
 * ISO weeks, months and years, plus the `keepLast` newest; the union is kept, the newest is always kept
 * (restic's `forget --keep-daily/--keep-weekly/...`). `retentionDays` then only says when failed and incomplete
 * backups go (default: right away).
 */
export type RetentionPolicy =
  | { kind: 'age'; retentionDays: number; minBackups: number }
  | {
      kind: 'gfs';
      daily: number;
      weekly: number;
      monthly: number;
      yearly: number;
      keepLast: number;
      retentionDays?: number;
    };

export interface RetentionDecision {
  backup: RetentionBackup;
  action: 'keep' | 'delete';
  /** Why, in words: "newest backup of shop", "daily 2026-11-23", "older than 30 days", "failed backup older than 7 days". */
  reasons: string[];
}

export interface RetentionResult {
  /** Newest first, per database in the order of first appearance. */
  keep: RetentionDecision[];
  delete: RetentionDecision[];
}
