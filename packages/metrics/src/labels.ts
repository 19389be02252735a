/** The `database` label of a cluster backup (its record has no database: it holds every database of the server). */
export const ALL_DATABASES_LABEL = '_all';

/** The `server` label of a backup or restore whose catalog record names no host. */
export const UNKNOWN_SERVER_LABEL = 'unknown';

/** Labels of every per-backup-series metric; dashboards rely on these names. */
export const BACKUP_LABEL_NAMES = ['server', 'database', 'engine', 'backup_type'] as const;
/** Labels of the restore metrics (a restore has no backup type). */
export const RESTORE_LABEL_NAMES = ['server', 'database', 'engine'] as const;

export type BackupLabels = Record<(typeof BACKUP_LABEL_NAMES)[number], string>;
export type RestoreLabels = Record<(typeof RESTORE_LABEL_NAMES)[number], string>;

export function backupLabels(record: {
  host: string | null;
  database: string | null;
  engine: string;
  kind: string;
}): BackupLabels {
  return {
    server: serverLabel(record.host),
    database: record.database ?? ALL_DATABASES_LABEL,
    engine: record.engine,
    backup_type: record.kind,
  };
}

export function restoreLabels(record: { host: string | null; database: string; engine: string }): RestoreLabels {
  return { server: serverLabel(record.host), database: record.database, engine: record.engine };
}

function serverLabel(host: string | null): string {
  return host === null || host === '' ? UNKNOWN_SERVER_LABEL : host;
}
