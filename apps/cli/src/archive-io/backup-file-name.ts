import { join } from 'node:path';

/** The extension of dbbackup archives: a tar, named so that `tar -tf` users recognise it. */
export const ARCHIVE_EXTENSION = '.dbb.tar';

/** 20261123T221500Z: UTC, sortable, no characters that need quoting. */
export function utcStamp(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/**
 * `<dir>/<database>-<UTC YYYYMMDDTHHMMSSZ>.dbb.tar`. Characters of the database name that are unsafe in a file
 * name (path separators, control characters, spaces) become '_'; the manifest keeps the real name.
 */
export function backupFilePath(directory: string, database: string, startedAt: Date): string {
  const safeName = database.replace(/[^\p{L}\p{N}._-]/gu, '_').replace(/^\.+/, '_');
  return join(directory, `${safeName}-${utcStamp(startedAt)}${ARCHIVE_EXTENSION}`);
}
