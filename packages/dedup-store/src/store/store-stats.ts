import { idKeyOf } from '../format/object-ids.js';
import { DATA_DIRECTORY, INDEX_DIRECTORY } from '../format/store-layout.js';
import { loadIndexFiles } from '../index/index-files.js';
import { loadSnapshots } from '../snapshots/snapshot-files.js';
import { listObjects } from './object-io.js';
import type { StoreContext } from './store-context.js';

export interface StoreStats {
  snapshots: number;
  /** Sum of the snapshots' sizes: what restoring every snapshot would produce. */
  logicalBytes: number;
  /** Every object of the store (packs, index, snapshots, config, keys, locks). */
  storedBytes: number;
  /** logicalBytes / storedBytes (null while nothing is stored). */
  ratio: number | null;
  /** Distinct data chunks in the index, and their plain bytes (what deduplication keeps before compression). */
  chunks: number;
  uniqueChunkBytes: number;
  /** Distinct chunk-list blobs (a snapshot's chunk ids, in order). */
  chunkLists: number;
  packs: number;
  packBytes: number;
  indexFiles: number;
  indexBytes: number;
}

/** Reads snapshots and index files and lists every object; takes no lock and changes nothing. */
export async function storeStats(context: StoreContext): Promise<StoreStats> {
  const [snapshots, files, objects] = await Promise.all([
    loadSnapshots(context),
    loadIndexFiles(context),
    listObjects(context.backend, context.prefix),
  ]);
  const seen = new Set<string>();
  let chunks = 0;
  let chunkLists = 0;
  let uniqueChunkBytes = 0;
  for (const file of files) {
    for (const pack of file.packs) {
      for (const blob of pack.blobs) {
        const key = idKeyOf(blob.id);
        if (seen.has(key)) continue;
        seen.add(key);
        if (blob.type === 'list') chunkLists++;
        else {
          chunks++;
          uniqueChunkBytes += blob.plainLength;
        }
      }
    }
  }
  let storedBytes = 0;
  let packs = 0;
  let packBytes = 0;
  let indexBytes = 0;
  for (const info of objects) {
    storedBytes += info.size;
    const name = info.key.slice(context.prefix.length);
    if (name.startsWith(DATA_DIRECTORY)) {
      packs++;
      packBytes += info.size;
    } else if (name.startsWith(INDEX_DIRECTORY)) indexBytes += info.size;
  }
  const logicalBytes = snapshots.reduce((sum, snapshot) => sum + snapshot.size, 0);
  return {
    snapshots: snapshots.length,
    logicalBytes,
    storedBytes,
    ratio: storedBytes === 0 ? null : logicalBytes / storedBytes,
    chunks,
    uniqueChunkBytes,
    chunkLists,
    packs,
    packBytes,
    indexFiles: files.length,
    indexBytes,
  };
}
