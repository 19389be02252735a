import { MissingChunkError } from '../errors.js';
import { idKeyOf, idKeyOfHex } from '../format/object-ids.js';
import type { Snapshot } from '../format/snapshot-manifest.js';
import type { ChunkIndex } from '../index/chunk-index.js';
import { readChunkList } from '../restore/snapshot-chunks.js';
import type { StoreContext } from '../store/store-context.js';

/**
 * The ids (latin1 keys) of every blob some snapshot needs: its chunk lists and the chunks they name. A list seen
 * before (lists dedup across snapshots) is not read again. MissingChunkError when a needed blob is not in `index`,
 * so gc never runs on a store it would make worse.
 */
export async function markLiveBlobs(
  context: StoreContext,
  index: ChunkIndex,
  snapshots: readonly Snapshot[],
): Promise<Set<string>> {
  const live = new Set<string>();
  for (const snapshot of snapshots) {
    const owner = `snapshot ${snapshot.id.slice(0, 12)}`;
    for (const listHex of snapshot.lists) {
      const listKey = idKeyOfHex(listHex);
      if (live.has(listKey)) continue;
      const ids = await readChunkList(context, index, listHex, owner);
      live.add(listKey);
      for (const id of ids) {
        const key = idKeyOf(id);
        if (live.has(key)) continue;
        if (!index.has(id)) throw new MissingChunkError(id.toString('hex'), owner);
        live.add(key);
      }
    }
  }
  return live;
}
