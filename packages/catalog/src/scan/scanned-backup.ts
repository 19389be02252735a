import type { BackupInput, BackupOutcome, Verification } from '../types.js';

/** What one backup file in a directory is (shared by `catalog sync` and `dbbackup list`). */
export interface ScannedBackup {
  path: string;
  bytes: number;
  modifiedAt: string;
  /**
   * complete: manifest present (or a SQL script with its completion trailer); partial: a *.partial file (being
   * written, or left by a crash); incomplete: an archive without manifest / a script without trailer; unreadable.
   */
  state: 'complete' | 'partial' | 'incomplete' | 'unreadable';
  /** What sync records for it; null when not complete. */
  record: (BackupInput & Partial<BackupOutcome>) | null;
  /** The latest verification from its sidecar. */
  verification: Verification | null;
  /** e.g. "encrypted: pass --encryption-key-file for tables and consistency point". */
  note: string | null;
  /**
   * Added to the draft: where `record` came from. 'header': an encrypted archive read without its key, so database
   * and kind are guessed from the file name (sync keeps what the catalog already knows about it instead).
   */
  readFrom: 'manifest' | 'header' | 'sql-script' | null;
  /** Added to the draft: every verification in the sidecar for these bytes, oldest first (the last = verification). */
  verificationHistory: Verification[];
}
