import { NotFoundError, StorageError } from '../../errors.js';

/** Turns a filesystem error into a StorageError with a one-line message naming the key and what to do. */
export function toLocalStorageError(error: unknown, key: string, root: string): Error {
  if (error instanceof StorageError || !(error instanceof Error)) return error as Error;
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
    case 'EISDIR':
      return new NotFoundError('local', key, undefined, { cause: error });
    case 'EACCES':
    case 'EPERM':
      return new StorageError(
        'local',
        'PERMISSION_DENIED',
        `local: permission denied for ${key} in ${root}: give the backup user read/write access to that directory`,
        { cause: error },
      );
    case 'ENOSPC':
    case 'EDQUOT':
      return new StorageError(
        'local',
        'NO_SPACE',
        `local: no space left in ${root} while writing ${key}: free space or use another directory`,
        {
          cause: error,
        },
      );
    default:
      return new StorageError('local', 'IO', `local: ${error.message} (${key} in ${root})`, { cause: error });
  }
}
