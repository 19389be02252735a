import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { PassThrough } from 'node:stream';
import { type OpenedStorage, type PublishedResult, publishBackup } from '@dbbackup/cloud';
import type { CommandContext } from '../cli/command-context.js';
import { openCliStorage } from './open-cli-storage.js';
import { publishLocalFile } from './publish-local-file.js';

/** Where one backup goes in the cloud: the opened storage, the object key and the object's full URI. */
export interface CloudTarget {
  storage: OpenedStorage;
  key: string;
  uri: string;
}

/** Opens the --cloud folder for a backup file named `name` (the same name it would have in --backup-dir). */
export async function openCloudTarget(context: CommandContext, folderUri: string, name: string): Promise<CloudTarget> {
  const storage = await openCliStorage(context, folderUri);
  return { storage, key: `${storage.prefix}${name}`, uri: `${storage.uri.replace(/\/?$/, '/')}${name}` };
}

/** What the sidecar says about the backup besides size and sha256 (`cloud list` shows it without opening archives). */
export type SidecarFields = Record<string, unknown>;

/**
 * Starts a crash-safe upload fed by the returned sink: the archive streams straight to the store (multipart), and
 * `<name>.manifest.json` is written only after it completed. Destroying the sink with an error (a failed or
 * interrupted backup) makes `published` reject, with the store's incomplete upload aborted: nothing is listed.
 */
export function startStreamingUpload(
  target: CloudTarget,
  sidecar: SidecarFields,
): { sink: PassThrough; published: Promise<PublishedResult> } {
  // 8 MiB of buffer between the archive writer and the upload: parts go out while the next ones are written.
  const sink = new PassThrough({ highWaterMark: 8 * 1024 * 1024 });
  const published = publishBackup(target.storage.backend, target.key, sink, { manifestSidecar: sidecar });
  // The caller awaits `published`; this only keeps an early rejection from being reported as unhandled.
  published.catch(() => undefined);
  return { sink, published };
}

/** Uploads a finished local archive (--keep-local), sidecar last, with progress on a terminal. */
export async function uploadFile(
  context: CommandContext,
  target: CloudTarget,
  path: string,
  sidecar: SidecarFields,
): Promise<PublishedResult> {
  const { size } = await stat(path);
  return publishLocalFile(
    context,
    target.storage.backend,
    { key: target.key, name: basename(path) },
    { path, size, fields: sidecar },
  );
}

export function closeCloudTarget(target: CloudTarget | undefined): Promise<void> {
  return target ? target.storage.backend.close().catch(() => undefined) : Promise.resolve();
}

export function logUpload(context: CommandContext, target: CloudTarget): void {
  context.logger.debug(`uploading to ${target.uri} (${target.storage.backend.kind})`);
}
