import { NotFoundError } from '@dbbackup/cloud';
import { PackWriter } from '../backup/pack-writer.js';
import { InvalidStoreOptionError } from '../errors.js';
import type { PackRecord } from '../format/index-file.js';
import type { Snapshot } from '../format/snapshot-manifest.js';
import { ChunkIndex } from '../index/chunk-index.js';
import { loadIndexFiles, writeIndexFiles } from '../index/index-files.js';
import type { StoreLock } from '../locks/store-lock.js';
import { packKey } from '../restore/read-blob.js';
import { loadSnapshots } from '../snapshots/snapshot-files.js';
import { readObject } from '../store/object-io.js';
import type { StoreContext } from '../store/store-context.js';
import { planGc } from './gc-plan.js';
import { markLiveBlobs } from './mark-live.js';
import { listStoredPacks } from './stored-packs.js';

export interface GcOptions {
  /**
   * Repack a pack when the bytes still needed in it are below this fraction of its blob bytes (default 0.5). Lower
   * rewrites less but leaves more unused bytes behind: at 0.5 copying a pack's live half frees the other half (write
   * cost ≤ bytes freed), and no pack is more than half unused after gc. Packs with nothing needed are always deleted.
   */
  repackBelowLiveFraction?: number;
  /** Work out and report what gc would do, changing nothing. */
  dryRun?: boolean;
}

export interface GcReport {
  dryRun: boolean;
  snapshots: number;
  /** Blobs (chunks and chunk lists) some snapshot needs. */
  liveBlobs: number;
  packsBefore: number;
  packsAfter: number;
  /** Packs with nothing needed in them, deleted. */
  packsDeleted: number;
  /** Packs whose needed blobs were copied into new packs, then deleted. */
  packsRepacked: number;
  /** Packs in no index (left by an interrupted backup or gc), deleted. */
  unindexedPacksDeleted: number;
  packsWritten: number;
  /** Stored bytes copied into new packs. */
  bytesRepacked: number;
  /** Bytes of packs and index files before and after (a dry run estimates "after"). */
  bytesBefore: number;
  bytesAfter: number;
  freedBytes: number;
}

/**
 * Mark and sweep, restic's prune: mark every blob a snapshot needs, delete packs that hold none, repack packs that are
 * mostly unused, then replace the index. The order keeps the store consistent after a crash at any step: new packs,
 * then the new index (listing only packs that exist), then the old index files, and only then the old packs; whatever
 * a crash leaves over is unindexed packs or extra index files, which the next gc removes. The caller holds the
 * exclusive `lock`; it is checked again before anything is deleted. `snapshots` overrides the snapshots read from the store (prune's dry run passes the ones it keeps).
 */
export async function collectGarbage(
  context: StoreContext,
  lock: StoreLock,
  options: GcOptions = {},
  snapshotsOverride?: readonly Snapshot[],
): Promise<GcReport> {
  const repackBelow = options.repackBelowLiveFraction ?? 0.5;
  if (!(repackBelow >= 0 && repackBelow <= 1)) {
    throw new InvalidStoreOptionError(`repackBelowLiveFraction ${repackBelow} must be between 0 and 1 (default 0.5)`);
  }
  const files = await loadIndexFiles(context);
  const stored = await listStoredPacks(context);
  const snapshots = snapshotsOverride ?? (await loadSnapshots(context));

  // Only packs that exist count; a pack listed twice (in two index files) once.
  const records = new Map<string, PackRecord>();
  for (const file of files) {
    for (const record of file.packs)
      if (stored.has(record.packId) && !records.has(record.packId)) records.set(record.packId, record);
  }
  const index = ChunkIndex.fromPacks([...records.values()]);
  const live = await markLiveBlobs(context, index, snapshots);
  const plans = planGc([...records.values()], live, repackBelow);

  const unindexed = [...stored.keys()].filter((packId) => !records.has(packId));
  const indexBytesBefore = files.reduce((sum, file) => sum + file.size, 0);
  let packBytesBefore = 0;
  for (const size of stored.values()) packBytesBefore += size;
  const bytesBefore = packBytesBefore + indexBytesBefore;
  const removed = plans.filter((plan) => plan.action !== 'keep');
  const kept = plans.filter((plan) => plan.action === 'keep');
  const repacking = plans.filter((plan) => plan.action === 'repack');
  const bytesRepacked = repacking.reduce((sum, plan) => sum + plan.keptBytes, 0);
  const report: GcReport = {
    dryRun: options.dryRun ?? false,
    snapshots: snapshots.length,
    liveBlobs: live.size,
    packsBefore: stored.size,
    packsAfter: kept.length,
    packsDeleted: removed.length - repacking.length,
    packsRepacked: repacking.length,
    unindexedPacksDeleted: unindexed.length,
    packsWritten: 0,
    bytesRepacked,
    bytesBefore,
    bytesAfter: 0,
    freedBytes: 0,
  };
  const nothingToDo = removed.length === 0 && unindexed.length === 0 && files.length <= 1;
  if (options.dryRun || nothingToDo) {
    // Estimate: kept packs and the repacked bytes stay; index size stays about the same.
    const after = kept.reduce((sum, plan) => sum + plan.record.size, 0) + bytesRepacked + indexBytesBefore;
    report.packsAfter = kept.length + (bytesRepacked > 0 ? Math.ceil(bytesRepacked / context.config.packSize) : 0);
    report.bytesAfter = nothingToDo ? bytesBefore : after;
    report.freedBytes = report.bytesBefore - report.bytesAfter;
    return report;
  }

  // 1. Copy the needed blobs out of the packs being repacked (checking each, so damage is not copied on).
  const writer = new PackWriter(context);
  for (const plan of repacking) {
    const pack = await readObject(context.backend, packKey(context, plan.record.packId));
    for (const blob of plan.keptBlobs) {
      const storedBytes = pack.subarray(blob.offset, blob.offset + blob.storedLength);
      context.codec.decode(storedBytes, blob, plan.record.packId);
      await writer.add({ ...blob, stored: Buffer.from(storedBytes) });
    }
  }
  await writer.finish();
  const written = writer.drainStored();

  // 2. The new index: kept packs as they are, plus the new ones.
  const newFiles = await writeIndexFiles(context, [...kept.map((plan) => plan.record), ...written]);
  const newKeys = new Set(newFiles.map((file) => file.key));
  // 3. Old index files, then 4. the packs nothing lists any more, if our lock still keeps backups out.
  await lock.assertHeld();
  const ignoreMissing = (error: unknown) => {
    if (!(error instanceof NotFoundError)) throw error;
  };
  for (const file of files) if (!newKeys.has(file.key)) await context.backend.delete(file.key).catch(ignoreMissing);
  for (const packId of [...removed.map((plan) => plan.record.packId), ...unindexed]) {
    await context.backend.delete(packKey(context, packId)).catch(ignoreMissing);
  }

  const packBytesAfter = kept.reduce((sum, plan) => sum + plan.record.size, 0) + writer.storedBytes;
  report.packsWritten = written.length;
  report.packsAfter = kept.length + written.length;
  report.bytesAfter = packBytesAfter + newFiles.reduce((sum, file) => sum + file.size, 0);
  report.freedBytes = report.bytesBefore - report.bytesAfter;
  return report;
}
