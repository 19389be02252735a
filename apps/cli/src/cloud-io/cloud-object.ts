import { resolve } from 'node:path';
import { isStorageUri, type StorageBackend } from '@dbbackup/cloud';
import type { CommandContext } from '../cli/command-context.js';
import { UsageError } from '../errors/cli-errors.js';
import { openCliStorage } from './open-cli-storage.js';

/** One object named by a full URI (`s3://bucket/prefix/shop-….dbb.tar`): its backend and key. Close the backend. */
export interface CloudObject {
  backend: StorageBackend;
  key: string;
  /** The URI as given, for messages and the catalog. */
  uri: string;
}

/** Whether a command's PATH argument is a cloud URI rather than a local file. */
export function isCloudLocation(pathOrUri: string): boolean {
  return isStorageUri(pathOrUri) && !pathOrUri.startsWith('file://');
}

/** The folder URI and the object name of `s3://bucket/dir/name` ('s3://bucket/dir/', 'name'). */
export function splitObjectUri(uri: string): { folder: string; name: string } {
  const slash = uri.lastIndexOf('/');
  const name = uri.slice(slash + 1);
  if (name === '' || uri.slice(0, slash + 1).match(/^[a-z0-9]+:\/\/$/i)) {
    throw new UsageError(
      `${uri} names a folder, not a backup; give the backup's full URI, e.g. s3://bucket/prefix/shop-20261123T221500Z.dbb.tar (dbbackup cloud list --cloud URI shows them)`,
    );
  }
  return { folder: uri.slice(0, slash + 1), name: decodeURIComponent(name) };
}

export async function openCloudObject(context: CommandContext, uri: string): Promise<CloudObject> {
  const { folder, name } = splitObjectUri(uri);
  const opened = await openCliStorage(context, folder);
  return { backend: opened.backend, key: `${opened.prefix}${name}`, uri };
}

/** A command's PATH argument: a cloud URI as given, a local path resolved against the working directory. */
export function resolveBackupLocation(cwd: string, pathOrUri: string): string {
  return isCloudLocation(pathOrUri) ? pathOrUri : resolve(cwd, pathOrUri);
}
