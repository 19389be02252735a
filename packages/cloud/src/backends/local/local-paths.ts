import path from 'node:path';
import { StorageError } from '../../errors.js';

/** Temporary upload files are named `<key>.partial-<12 hex digits>`; list() never shows them. */
export const PARTIAL_FILE_PATTERN = /\.partial-[0-9a-f]{12}$/;

/**
 * The file path of `key` below `root`. Keys are '/'-separated relative names; empty segments, '.' and '..' are
 * refused so a key can never reach outside the root.
 */
export function keyToPath(root: string, key: string): string {
  const segments = key.split('/');
  if (key.length === 0 || segments.some((segment) => segment === '' || segment === '.' || segment === '..')) {
    throw new StorageError(
      'local',
      'INVALID_KEY',
      `local: invalid key ${JSON.stringify(key)}: use '/'-separated names without empty, '.' or '..' parts`,
    );
  }
  if (PARTIAL_FILE_PATTERN.test(key)) {
    throw new StorageError(
      'local',
      'INVALID_KEY',
      `local: key ${JSON.stringify(key)} looks like a temporary upload file`,
    );
  }
  return path.join(root, ...segments);
}

/** The directory to walk for `prefix`: everything up to its last '/' ('' means the root). */
export function prefixDirectory(prefix: string): string {
  const slash = prefix.lastIndexOf('/');
  return slash < 0 ? '' : prefix.slice(0, slash);
}
