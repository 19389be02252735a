import type { OpenedStorage } from '@dbbackup/cloud';
import type { CommandContext } from '../../cli/command-context.js';
import { isCloudLocation } from '../../cloud-io/cloud-object.js';
import { openCliStorage } from '../../cloud-io/open-cli-storage.js';
import { UsageError } from '../../errors/cli-errors.js';

/** The folder URI of `cloud list|status|sync|cleanup-incomplete`: --cloud (or DBBACKUP_CLOUD / .dbbackup.conf). */
export function requireCloudFolder(context: CommandContext, commandName: string): string {
  const uri = context.config.cloud;
  if (uri === undefined || uri === '') {
    throw new UsageError(
      `cloud ${commandName} needs the storage to use: pass --cloud URI, e.g. --cloud s3://bucket/prefix/ or --cloud sftp://user@host/srv/backups/`,
    );
  }
  return requireCloudUri(uri, 'folder');
}

/** Refuses a local path where a cloud URI is expected (file:// and plain paths are local: use cp/mv for those). */
export function requireCloudUri(uri: string, what: string): string {
  if (!isCloudLocation(uri)) {
    throw new UsageError(
      `${uri} is not a cloud ${what}: give s3://bucket/prefix/, azure://container/prefix/, gcs://bucket/prefix/ or sftp://user@host[:port]/path/`,
    );
  }
  return uri;
}

/** The canonical folder URI, ending in '/', that a key's name below the prefix is appended to. */
export function folderUriOf(opened: OpenedStorage): string {
  return opened.uri.endsWith('/') ? opened.uri : `${opened.uri}/`;
}

/** Opens the storage, runs `work` and always closes the backend (SFTP sessions, HTTP agents). */
export async function withCloudStorage<T>(
  context: CommandContext,
  uri: string,
  work: (opened: OpenedStorage) => Promise<T>,
): Promise<T> {
  const opened = await openCliStorage(context, uri);
  try {
    return await work(opened);
  } finally {
    await opened.backend.close();
  }
}
