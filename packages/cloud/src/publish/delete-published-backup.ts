import { NotFoundError } from '../errors.js';
import type { StorageBackend } from '../storage-backend.js';
import { sidecarKeyOf } from './sidecar.js';

/**
 * Removes a backup: its sidecar FIRST (so it stops being listed even if the process dies in between), then the
 * archive. NotFoundError only when neither exists; a half-published or half-deleted backup is finished off.
 */
export async function deletePublishedBackup(backend: StorageBackend, key: string): Promise<void> {
  let found = false;
  for (const target of [sidecarKeyOf(key), key]) {
    try {
      await backend.delete(target);
      found = true;
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
  if (!found)
    throw new NotFoundError(
      backend.kind,
      key,
      `${backend.kind}: no backup ${key} (neither archive nor ${sidecarKeyOf(key)})`,
    );
}
