import { AmbiguousSnapshotIdError, SnapshotNotFoundError } from '../errors.js';
import { decodeSnapshot, encodeSnapshot, type Snapshot } from '../format/snapshot-manifest.js';
import { baseName, SNAPSHOTS_DIRECTORY } from '../format/store-layout.js';
import { readContentAddressed, writeContentAddressed } from '../store/content-addressed.js';
import { mapConcurrent } from '../store/map-concurrent.js';
import { listObjects } from '../store/object-io.js';
import type { StoreContext } from '../store/store-context.js';

const PARALLEL_READS = 8;

export function snapshotKey(context: StoreContext, id: string): string {
  return `${context.prefix}${SNAPSHOTS_DIRECTORY}${id}`;
}

export async function listSnapshotIds(context: StoreContext): Promise<string[]> {
  const objects = await listObjects(context.backend, `${context.prefix}${SNAPSHOTS_DIRECTORY}`);
  return objects.map((info) => baseName(info.key));
}

export async function readSnapshot(context: StoreContext, id: string): Promise<Snapshot> {
  const key = snapshotKey(context, id);
  return decodeSnapshot(context.codec, await readContentAddressed(context, key), key, id);
}

function byCreated(a: Snapshot, b: Snapshot): number {
  return Date.parse(a.created) - Date.parse(b.created) || a.id.localeCompare(b.id);
}

/** Every snapshot, oldest first. A damaged one throws, or goes to `onDamaged` when given. */
export async function loadSnapshots(
  context: StoreContext,
  onDamaged?: (id: string, error: unknown) => void,
): Promise<Snapshot[]> {
  const ids = await listSnapshotIds(context);
  const snapshots = await mapConcurrent(ids, PARALLEL_READS, async (id) => {
    try {
      return await readSnapshot(context, id);
    } catch (error) {
      if (!onDamaged) throw error;
      onDamaged(id, error);
      return undefined;
    }
  });
  return snapshots.filter((snapshot): snapshot is Snapshot => snapshot !== undefined).sort(byCreated);
}

/** The full id a prefix names, found by listing (so it works for a damaged manifest too). */
export async function resolveSnapshotId(context: StoreContext, prefix: string): Promise<string> {
  const wanted = prefix.trim().toLowerCase();
  if (!/^[0-9a-f]+$/.test(wanted)) throw new SnapshotNotFoundError(prefix, context.location);
  const matches = (await listSnapshotIds(context)).filter((id) => id.startsWith(wanted));
  if (matches.length === 0) throw new SnapshotNotFoundError(prefix, context.location);
  if (matches.length > 1) throw new AmbiguousSnapshotIdError(prefix, matches.sort());
  return matches[0]!;
}

/**
 * A snapshot by id, unique id prefix, or 'latest' (the newest by created time). SnapshotNotFoundError /
 * AmbiguousSnapshotIdError otherwise.
 */
export async function resolveSnapshot(context: StoreContext, idOrPrefix: string): Promise<Snapshot> {
  if (idOrPrefix.trim().toLowerCase() === 'latest') {
    const newest = (await loadSnapshots(context)).at(-1);
    if (!newest) throw new SnapshotNotFoundError(idOrPrefix, context.location);
    return newest;
  }
  return readSnapshot(context, await resolveSnapshotId(context, idOrPrefix));
}

/** Writes a manifest; the last step of a backup. */
export async function writeSnapshot(
  context: StoreContext,
  snapshot: Omit<Snapshot, 'id'>,
): Promise<{ snapshot: Snapshot; storedSize: number }> {
  const stored = encodeSnapshot(context.codec, snapshot);
  const { id } = await writeContentAddressed(context, SNAPSHOTS_DIRECTORY, stored);
  return { snapshot: { id, ...snapshot }, storedSize: stored.length };
}
