import { pipeline, Readable } from 'node:stream';
import { Sha256Stream } from '@dbbackup/pipeline';
import { NotFoundError } from '../errors.js';
import type { PutOptions, StorageBackend } from '../storage-backend.js';
import { type BackupSidecar, sidecarKeyOf } from './sidecar.js';

export interface PublishOptions {
  /** Fields for the sidecar (database, engine, createdAt, labels…); size, sha256 and key are filled in. */
  manifestSidecar: Record<string, unknown>;
  /** Passed to the archive's put (signal, progress, contentLength). */
  putOptions?: PutOptions;
}

export interface PublishedResult {
  key: string;
  sidecarKey: string;
  size: number;
  sha256: string;
  sidecar: BackupSidecar;
}

async function deleteIfPresent(backend: StorageBackend, key: string): Promise<void> {
  try {
    await backend.delete(key);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
}

/**
 * Crash-safe publication: uploads the archive to `key`, then `<key>.manifest.json` last. Listings only show
 * archives with a sidecar, so an upload that fails or is interrupted (process killed) never looks like a backup.
 * Replacing an existing backup withdraws its sidecar first. If the sidecar cannot be written, the archive is
 * deleted again before the error is rethrown.
 */
export async function publishBackup(
  backend: StorageBackend,
  key: string,
  body: Readable,
  options: PublishOptions,
): Promise<PublishedResult> {
  const sidecarKey = sidecarKeyOf(key);
  await deleteIfPresent(backend, sidecarKey);

  const hashing = new Sha256Stream();
  pipeline(body, hashing, () => {
    // An error destroys both streams; the backend's put sees it on `hashing` and rejects.
  });
  const uploaded = await backend.put(key, hashing, {
    contentType: 'application/x-tar',
    ...options.putOptions,
  });

  const sidecar: BackupSidecar = {
    createdAt: new Date().toISOString(),
    ...options.manifestSidecar,
    key,
    size: uploaded.size,
    sha256: hashing.digest(),
  };
  const json = Buffer.from(`${JSON.stringify(sidecar, null, 2)}\n`);
  try {
    await backend.put(sidecarKey, Readable.from([json], { objectMode: false }), {
      contentLength: json.length,
      contentType: 'application/json',
    });
  } catch (error) {
    await deleteIfPresent(backend, key).catch(() => undefined); // unpublished anyway; best effort to not leave it
    throw error;
  }
  return { key, sidecarKey, size: uploaded.size, sha256: sidecar.sha256, sidecar };
}
