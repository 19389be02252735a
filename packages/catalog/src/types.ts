/**
 * The records the catalog keeps. Times are ISO 8601 strings in UTC (the catalog normalises every time it is given
 * to `Date.prototype.toISOString()` form, so string order is time order).
 */

export type BackupKind = 'single' | 'cluster' | 'sample';
export type BackupFormat = 'archive' | 'sql';
export type RunStatus = 'running' | 'success' | 'failed';
/** verify-backup, verify-backup --deep, --verify-restore. */
export type VerificationKind = 'verify' | 'deep' | 'restore';
export type VerificationResult = 'passed' | 'failed';

export const BACKUP_KINDS: readonly BackupKind[] = ['single', 'cluster', 'sample'];
export const BACKUP_FORMATS: readonly BackupFormat[] = ['archive', 'sql'];
export const RUN_STATUSES: readonly RunStatus[] = ['running', 'success', 'failed'];
export const VERIFICATION_KINDS: readonly VerificationKind[] = ['verify', 'deep', 'restore'];
export const VERIFICATION_RESULTS: readonly VerificationResult[] = ['passed', 'failed'];

export interface Verification {
  /** ISO 8601. */
  at: string;
  result: VerificationResult;
  kind: VerificationKind;
  detail: string | null;
}

export interface BackupInput {
  /** null = a cluster backup. */
  database: string | null;
  /** The manifest's engine name ('postgresql', 'mysql', 'mariadb'). */
  engine: string;
  /** Server host (or socket path) it was taken from; null when unknown. */
  host: string | null;
  kind: BackupKind;
  format: BackupFormat;
  /** Absolute local path or a URI; unique in the catalog. */
  location: string;
  /** ISO 8601. */
  startedAt: string;
  encrypted: boolean;
  /** 'zstd:3', 'gzip:6', 'none'. */
  compression: string;
  /** Incremental backups (later); null for full backups. */
  parentId?: number | null;
}

/** What a finished backup adds. */
export interface BackupOutcome {
  finishedAt: string;
  bytes: number;
  sha256: string;
  /** manifest.consistency. */
  consistency: Record<string, unknown> | null;
  serverVersion: string | null;
  tables: number | null;
  rows: number | null;
}

export interface BackupRecord extends Required<BackupInput> {
  id: number;
  status: RunStatus;
  error: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  bytes: number | null;
  sha256: string | null;
  consistency: Record<string, unknown> | null;
  serverVersion: string | null;
  tables: number | null;
  rows: number | null;
  /** The latest verification (by its `at`). */
  verification: Verification | null;
}

/** What catalog sync (and anyone importing records) passes to upsertBackup. */
export type BackupUpsert = BackupInput &
  Partial<BackupOutcome> & { status: RunStatus; verification?: Verification | null };

export interface RestoreInput {
  backupId: number | null;
  location: string;
  /** The target database. */
  database: string;
  engine: string;
  host: string | null;
  startedAt: string;
}

export interface RestoreRecord extends RestoreInput {
  id: number;
  status: RunStatus;
  error: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  tables: number | null;
  rows: number | null;
}

export interface BackupFilter {
  /** Exact name; cluster backups (database null) never match it. */
  database?: string;
  kind?: BackupKind;
  engine?: string;
  status?: RunStatus;
  /** ISO; startedAt >= after. */
  after?: string;
  /** ISO; startedAt < before. */
  before?: string;
  limit?: number;
  /** Default newest first. */
  order?: 'newest' | 'oldest';
}

export interface RestoreFilter {
  database?: string;
  /** Added to the draft: only restores made from this backup. */
  backupId?: number;
  limit?: number;
}

export interface CatalogStats {
  backups: number;
  successful: number;
  failed: number;
  running: number;
  /** successful / (successful + failed); null when none finished. */
  successRate: number | null;
  /** Of successful backups. */
  totalBytes: number;
  oldest: string | null;
  newest: string | null;
  perDatabase: Array<{
    database: string | null;
    engine: string;
    backups: number;
    successful: number;
    bytes: number;
    lastSuccessAt: string | null;
  }>;
  perEngine: Array<{ engine: string; backups: number; successful: number; bytes: number }>;
}

export interface BackupGap {
  database: string | null;
  engine: string;
  /** startedAt of the earlier successful backup (or of the first attempt when none ever succeeded). */
  from: string;
  /** startedAt of the next successful backup; null = none since (the gap runs until `now`). */
  to: string | null;
  /** (to ?? now) - from. */
  gapMs: number;
  /** Added to the draft: why the gap is reported. */
  reason: 'between-successes' | 'since-last-success' | 'never-succeeded';
}

export interface GapOptions {
  intervalMs: number;
  database?: string;
  now?: Date;
}

/** One per (engine, host, database) seen in the catalog. */
export interface DatabaseStatus {
  database: string | null;
  engine: string;
  host: string | null;
  /** Newest, whatever its status. */
  lastBackup: BackupRecord;
  /** Newest successful. */
  lastSuccess: BackupRecord | null;
}
