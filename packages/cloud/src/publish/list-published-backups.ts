import type { ObjectInfo, StorageBackend } from '../storage-backend.js';
import { SIDECAR_SUFFIX, sidecarKeyOf } from './sidecar.js';

export interface PublishedBackup {
  /** The archive object. */
  archive: ObjectInfo;
  /** Its `<key>.manifest.json` sidecar (read it with readBackupSidecar). */
  sidecar: ObjectInfo;
}

async function collect(backend: StorageBackend, prefix: string): Promise<Map<string, ObjectInfo>> {
  const objects = new Map<string, ObjectInfo>();
  for await (const info of backend.list(prefix)) objects.set(info.key, info);
  return objects;
}

/** Complete backups under `prefix`: archives whose sidecar exists, sorted by key. Interrupted uploads never show. */
export async function listPublishedBackups(backend: StorageBackend, prefix: string): Promise<PublishedBackup[]> {
  const objects = await collect(backend, prefix);
  const published: PublishedBackup[] = [];
  for (const [key, archive] of objects) {
    if (key.endsWith(SIDECAR_SUFFIX)) continue;
    const sidecar = objects.get(sidecarKeyOf(key));
    if (sidecar) published.push({ archive, sidecar });
  }
  return published.sort((left, right) => (left.archive.key < right.archive.key ? -1 : 1));
}

/**
 * Objects under `prefix` that belong to no published backup: archives without a sidecar (an upload interrupted
 * after the archive, or one still between its two puts: check modifiedAt before deleting) and sidecars whose
 * archive is gone. For `cloud cleanup-incomplete`.
 */
export async function listUnpublishedObjects(backend: StorageBackend, prefix: string): Promise<ObjectInfo[]> {
  const objects = await collect(backend, prefix);
  const orphans: ObjectInfo[] = [];
  for (const [key, info] of objects) {
    const partner = key.endsWith(SIDECAR_SUFFIX) ? key.slice(0, -SIDECAR_SUFFIX.length) : sidecarKeyOf(key);
    if (!objects.has(partner)) orphans.push(info);
  }
  return orphans.sort((left, right) => (left.key < right.key ? -1 : 1));
}
