import { constants } from 'node:fs';
import { access, mkdir, stat, statfs } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { CliError } from '../errors/cli-errors.js';

/** --backup-dir, resolved against the working directory; the working directory itself when unset. */
export function resolveBackupDirectory(backupDir: string | undefined, cwd: string): string {
  return resolve(cwd, backupDir ?? '.');
}

/** Creates the backup directory (and its parents) when missing; an existing non-directory is an error. */
export async function ensureBackupDirectory(directory: string): Promise<void> {
  try {
    await mkdir(directory, { recursive: true });
  } catch (error) {
    throw new CliError(
      `cannot create backup directory ${directory} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); choose another --backup-dir or fix its permissions`,
      2,
      { cause: error },
    );
  }
}

export interface DirectoryCheck {
  /** Whether the directory exists already (false: it would be created). */
  exists: boolean;
  /** The directory that exists and must be writable: the directory itself or its nearest existing parent. */
  existingAncestor: string;
  writable: boolean;
  /** Bytes available to this user on that file system. */
  freeBytes: number;
}

/** What --dry-run reports about the backup directory, changing nothing. */
export async function inspectBackupDirectory(directory: string): Promise<DirectoryCheck> {
  let candidate = directory;
  for (;;) {
    const info = await stat(candidate).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (info) {
      if (!info.isDirectory()) {
        throw new CliError(`${candidate} is not a directory; choose another --backup-dir`, 2);
      }
      break;
    }
    const parent = dirname(candidate);
    if (parent === candidate) break;
    candidate = parent;
  }
  const writable = await access(candidate, constants.W_OK | constants.X_OK).then(
    () => true,
    () => false,
  );
  const fs = await statfs(candidate);
  return { exists: candidate === directory, existingAncestor: candidate, writable, freeBytes: fs.bavail * fs.bsize };
}
