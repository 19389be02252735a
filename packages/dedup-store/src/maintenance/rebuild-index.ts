import { NotFoundError } from '@dbbackup/cloud';
import { DamagedPackError } from '../errors.js';
import type { PackRecord } from '../format/index-file.js';
import { INDEX_DIRECTORY } from '../format/store-layout.js';
import { writeIndexFiles } from '../index/index-files.js';
import { StoreLock } from '../locks/store-lock.js';
import { mapConcurrent } from '../store/map-concurrent.js';
import { listObjects } from '../store/object-io.js';
import type { StoreContext } from '../store/store-context.js';
import { readPackHeader } from './read-pack-header.js';
import { listStoredPacks } from './stored-packs.js';

export interface RebuildIndexReport {
  packs: number;
  blobs: number;
  /** Packs whose header could not be read; they are left out of the index (gc then deletes them). */
  damagedPacks: { packId: string; message: string }[];
  indexFilesWritten: number;
  indexFilesRemoved: number;
}

const PARALLEL_PACKS = 4;

/**
 * Replaces the index with one read from the packs' own headers (exclusive lock): the repair when index files are
 * damaged or lost, or a pack is not indexed (verify says so). Packs whose header is damaged are reported and left
 * out, so they no longer hide the problem from verify.
 */
export async function rebuildIndex(context: StoreContext): Promise<RebuildIndexReport> {
  return StoreLock.with(context, { exclusive: true, operation: 'rebuild-index' }, async (lock) => {
    const stored = await listStoredPacks(context);
    const damagedPacks: RebuildIndexReport['damagedPacks'] = [];
    const records = await mapConcurrent([...stored], PARALLEL_PACKS, async ([packId, size]) => {
      try {
        return { packId, size, blobs: await readPackHeader(context, packId, size) } satisfies PackRecord;
      } catch (error) {
        if (!(error instanceof DamagedPackError)) throw error;
        damagedPacks.push({ packId, message: error.message });
        return undefined;
      }
    });
    const intact = records.filter((record): record is PackRecord => record !== undefined);
    const oldFiles = await listObjects(context.backend, `${context.prefix}${INDEX_DIRECTORY}`);
    const written = await writeIndexFiles(context, intact);
    const newKeys = new Set(written.map((file) => file.key));
    await lock.assertHeld();
    let removed = 0;
    for (const file of oldFiles) {
      if (newKeys.has(file.key)) continue;
      await context.backend.delete(file.key).catch((error: unknown) => {
        if (!(error instanceof NotFoundError)) throw error;
      });
      removed++;
    }
    return {
      packs: intact.length,
      blobs: intact.reduce((sum, record) => sum + record.blobs.length, 0),
      damagedPacks,
      indexFilesWritten: written.length,
      indexFilesRemoved: removed,
    };
  });
}
