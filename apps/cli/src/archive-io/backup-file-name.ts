import { join } from 'node:path';
import { type CompressionAlgorithm, compressionExtension } from '@dbbackup/pipeline';

/** The extension of dbbackup archives: a tar, named so that `tar -tf` users recognise it. */
export const ARCHIVE_EXTENSION = '.dbb.tar';

/** `.sql.zst`, `.sql.gz` or `.sql`: a plain SQL script, compressed the way the tools that open it expect. */
export function sqlScriptExtension(algorithm: CompressionAlgorithm): string {
  return `.sql${compressionExtension(algorithm)}`;
}

/** 20261123T221500Z: UTC, sortable, no characters that need quoting. */
export function utcStamp(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/**
 * `<dir>/<stem>-<UTC YYYYMMDDTHHMMSSZ><extension>` (an archive by default). The stem is the database name, or
 * `<db>-sample`, `cluster-<host>`. Characters unsafe in a file name (path separators, control characters, spaces)
 * become '_'; the manifest keeps the real name.
 */
export function backupFilePath(
  directory: string,
  stem: string,
  startedAt: Date,
  extension: string = ARCHIVE_EXTENSION,
): string {
  const safeName = stem.replace(/[^\p{L}\p{N}._-]/gu, '_').replace(/^\.+/, '_');
  return join(directory, `${safeName}-${utcStamp(startedAt)}${extension}`);
}
