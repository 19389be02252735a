/**
 * One backup `cleanup` considers: a file in the directory or a published backup under the cloud prefix, with what
 * retention needs to decide about it and the way to delete it.
 */
export interface CleanupCandidate {
  /** The absolute path, or the cloud URI (as the catalog records it). */
  location: string;
  /** The database it holds; null for a cluster backup. */
  database: string | null;
  /**
   * The group retention decides within: the database, `<database> (sample)` for reduced sample copies (a sample must
   * never stand in for a real backup), null for cluster backups.
   */
  group: string | null;
  /** When the backup started, ISO 8601 UTC (see backupTimeOf). */
  timestamp: string;
  /** incomplete: an archive without manifest or a script without its trailer (a backup that did not finish). */
  status: 'success' | 'incomplete';
  bytes: number;
  /** Deletes the backup's objects, each only inside the directory or prefix; returns what was removed. */
  remove(): Promise<string[]>;
}

/** The retention group of a backup: see CleanupCandidate.group. */
export function retentionGroupOf(database: string | null, kind: 'single' | 'sample' | 'cluster'): string | null {
  if (kind === 'cluster' || database === null) return null;
  return kind === 'sample' ? `${database} (sample)` : database;
}
