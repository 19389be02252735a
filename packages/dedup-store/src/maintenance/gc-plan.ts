import type { PackRecord } from '../format/index-file.js';
import { idKeyOf } from '../format/object-ids.js';
import { blobBytesOf, type PackBlobEntry } from '../format/pack-format.js';

export type PackAction = 'keep' | 'repack' | 'delete';

export interface PackPlan {
  record: PackRecord;
  action: PackAction;
  /** The blobs of this pack that stay: live, and the copy chosen when a blob is in several packs. */
  keptBlobs: PackBlobEntry[];
  keptBytes: number;
}

/**
 * Decides per pack: delete it (nothing in it is needed), repack it (what is needed is under `repackBelow` of its blob
 * bytes: copy those blobs into new packs and delete it) or keep it. When a live blob is in several packs (two
 * backups stored it at once, or a crash repeated an upload), the copy in the pack with the most live bytes is kept,
 * so duplicates make their other packs emptier.
 */
export function planGc(records: readonly PackRecord[], live: ReadonlySet<string>, repackBelow: number): PackPlan[] {
  const liveFraction = new Map<string, number>();
  for (const record of records) {
    const total = blobBytesOf(record.blobs);
    let liveBytes = 0;
    for (const blob of record.blobs) if (live.has(idKeyOf(blob.id))) liveBytes += blob.storedLength;
    liveFraction.set(record.packId, total === 0 ? 0 : liveBytes / total);
  }
  const ordered = [...records].sort(
    (a, b) => liveFraction.get(b.packId)! - liveFraction.get(a.packId)! || a.packId.localeCompare(b.packId),
  );
  const claimed = new Set<string>();
  const plans = ordered.map((record): PackPlan => {
    const keptBlobs: PackBlobEntry[] = [];
    for (const blob of record.blobs) {
      const key = idKeyOf(blob.id);
      if (!live.has(key) || claimed.has(key)) continue;
      claimed.add(key);
      keptBlobs.push(blob);
    }
    const keptBytes = blobBytesOf(keptBlobs);
    const total = blobBytesOf(record.blobs);
    const action: PackAction = keptBlobs.length === 0 ? 'delete' : keptBytes < total * repackBelow ? 'repack' : 'keep';
    return { record, action, keptBlobs, keptBytes };
  });
  // A blob chosen in a pack to repack need not be copied when a kept pack holds another copy of it.
  const inKeptPacks = new Set<string>();
  for (const plan of plans) {
    if (plan.action === 'keep') for (const blob of plan.record.blobs) inKeptPacks.add(idKeyOf(blob.id));
  }
  for (const plan of plans) {
    if (plan.action !== 'repack') continue;
    plan.keptBlobs = plan.keptBlobs.filter((blob) => !inKeptPacks.has(idKeyOf(blob.id)));
    plan.keptBytes = blobBytesOf(plan.keptBlobs);
    if (plan.keptBlobs.length === 0) plan.action = 'delete';
  }
  return plans;
}
