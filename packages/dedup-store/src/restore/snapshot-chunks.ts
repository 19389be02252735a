import { DamagedPackError, MissingChunkError } from '../errors.js';
import { parseChunkList } from '../format/chunk-list.js';
import type { Snapshot } from '../format/snapshot-manifest.js';
import type { BlobLocation, ChunkIndex } from '../index/chunk-index.js';
import type { StoreContext } from '../store/store-context.js';
import { readBlob } from './read-blob.js';

export interface LocatedChunk {
  id: Buffer;
  location: BlobLocation;
}

/** The ids in one chunk-list blob. */
export async function readChunkList(
  context: StoreContext,
  index: ChunkIndex,
  listHex: string,
  owner: string,
): Promise<Buffer[]> {
  const listId = Buffer.from(listHex, 'hex');
  const location = index.lookup(listId);
  if (!location) throw new MissingChunkError(listHex, owner);
  const ids = parseChunkList(await readBlob(context, listId, location));
  if (!ids) throw new DamagedPackError(location.packId, listHex, 'its chunk list is not a whole number of ids');
  return ids;
}

/**
 * A snapshot's chunks in order with where each is stored, reading one chunk list at a time (constant memory
 * however large the snapshot). MissingChunkError for a chunk no index lists.
 */
export async function* snapshotChunks(
  context: StoreContext,
  index: ChunkIndex,
  snapshot: Snapshot,
): AsyncGenerator<LocatedChunk> {
  const owner = `snapshot ${snapshot.id.slice(0, 12)}`;
  for (const listHex of snapshot.lists) {
    for (const id of await readChunkList(context, index, listHex, owner)) {
      const location = index.lookup(id);
      if (!location) throw new MissingChunkError(id.toString('hex'), owner);
      yield { id, location };
    }
  }
}
