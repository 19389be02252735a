/**
 * What the CLI's file names say (see apps/cli archive-io/backup-file-name.ts): `<stem>-<YYYYMMDDTHHMMSSZ><extension>`
 * where the stem is the database name (unsafe characters as '_'), `<db>-sample` or `cluster-<host>`, and the
 * extension `.dbb.tar` for archives, `.sql.zst` / `.sql.gz` / `.sql` for SQL scripts, plus `.partial` while written.
 */

export const ARCHIVE_EXTENSION = '.dbb.tar';
export const PARTIAL_EXTENSION = '.partial';
export const SQL_SCRIPT_EXTENSIONS = ['.sql.zst', '.sql.gz', '.sql'] as const;
export type SqlScriptExtension = (typeof SQL_SCRIPT_EXTENSIONS)[number];

export type BackupFileType =
  | { type: 'archive' }
  | { type: 'sql-script'; extension: SqlScriptExtension }
  | { type: 'partial' }
  | { type: 'other' };

export function backupFileType(fileName: string): BackupFileType {
  if (fileName.endsWith(PARTIAL_EXTENSION)) {
    const inner = backupFileType(fileName.slice(0, -PARTIAL_EXTENSION.length));
    return inner.type === 'archive' || inner.type === 'sql-script' ? { type: 'partial' } : { type: 'other' };
  }
  if (fileName.endsWith(ARCHIVE_EXTENSION)) return { type: 'archive' };
  const extension = SQL_SCRIPT_EXTENSIONS.find((candidate) => fileName.endsWith(candidate));
  return extension ? { type: 'sql-script', extension } : { type: 'other' };
}

export interface NameFacts {
  /** The stem: a database name as the file name spells it (unsafe characters became '_'). */
  stem: string;
  /** From the UTC stamp, or null when the name has none. */
  startedAt: string | null;
  kind: 'single' | 'sample' | 'cluster';
  /** The database the stem names (null for a cluster backup). */
  database: string | null;
}

const STAMPED = /^(.*)-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** Reads stem, time and kind from a file name without its extension. */
export function parseBackupFileName(baseName: string): NameFacts {
  const match = STAMPED.exec(baseName);
  const stem = match ? match[1]! : baseName;
  const startedAt = match
    ? new Date(
        Date.UTC(
          Number(match[2]),
          Number(match[3]) - 1,
          Number(match[4]),
          Number(match[5]),
          Number(match[6]),
          Number(match[7]),
        ),
      ).toISOString()
    : null;
  if (stem.startsWith('cluster-')) return { stem, startedAt, kind: 'cluster', database: null };
  if (stem.endsWith('-sample')) return { stem, startedAt, kind: 'sample', database: stem.slice(0, -'-sample'.length) };
  return { stem, startedAt, kind: 'single', database: stem };
}

/** The file name without its backup extension (`shop-20261123T221500Z`). */
export function stripBackupExtension(fileName: string): string {
  if (fileName.endsWith(ARCHIVE_EXTENSION)) return fileName.slice(0, -ARCHIVE_EXTENSION.length);
  const extension = SQL_SCRIPT_EXTENSIONS.find((candidate) => fileName.endsWith(candidate));
  return extension ? fileName.slice(0, -extension.length) : fileName;
}
