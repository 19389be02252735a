import { createReadStream } from 'node:fs';
import { type PublishedResult, publishBackup, type StorageBackend } from '@dbbackup/cloud';
import type { CommandContext } from '../cli/command-context.js';
import { transferProgress } from './transfer-progress.js';

/**
 * Uploads a local file as a published backup: the archive first, its `.manifest.json` sidecar last, so an upload
 * that dies midway never shows up in `cloud list`. Progress on the terminal as bytes and rate.
 */
export async function publishLocalFile(
  context: CommandContext,
  backend: StorageBackend,
  target: { key: string; name: string },
  file: { path: string; size: number; fields: object },
): Promise<PublishedResult> {
  const progress = transferProgress(context, 'upload', target.name, file.size);
  try {
    return await publishBackup(backend, target.key, createReadStream(file.path), {
      manifestSidecar: { ...file.fields },
      putOptions: { contentLength: file.size, onProgress: (bytes) => progress.update(bytes) },
    });
  } finally {
    progress.stop();
  }
}
