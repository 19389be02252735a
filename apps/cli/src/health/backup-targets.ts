import type { BackupRecord, DatabaseStatus } from '@dbbackup/catalog';

/** What freshness, verification and disk look at: one database (or cluster) of one engine and host. */
export interface BackupTarget {
  /** How checks name it: the database, or 'cluster'; engine and host are added when that name is not unique. */
  label: string;
  lastBackup: BackupRecord | null;
  lastSuccess: BackupRecord | null;
}

/**
 * The catalog's databases as check targets, by label. With --database, a database the catalog has never seen is
 * still a target (with no backups), so freshness reports it instead of checking nothing.
 */
export function backupTargets(statuses: readonly DatabaseStatus[], database: string | undefined): BackupTarget[] {
  if (statuses.length === 0 && database !== undefined) {
    return [{ label: database, lastBackup: null, lastSuccess: null }];
  }
  const name = (status: DatabaseStatus) => status.database ?? 'cluster';
  const counts = new Map<string, number>();
  for (const status of statuses) counts.set(name(status), (counts.get(name(status)) ?? 0) + 1);
  return statuses
    .map((status) => {
      const unique = counts.get(name(status)) === 1;
      const where = `${status.engine}${status.host === null ? '' : ` on ${status.host}`}`;
      return {
        label: unique ? name(status) : `${name(status)} (${where})`,
        lastBackup: status.lastBackup,
        lastSuccess: status.lastSuccess,
      };
    })
    .sort((a, b) => a.label.localeCompare(b.label));
}
