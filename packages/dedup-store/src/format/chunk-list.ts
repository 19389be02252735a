import { ID_SIZE } from './object-ids.js';

/**
 * A snapshot's chunk ids, in order, are stored as "list" blobs in packs rather than in the manifest: the manifest
 * stays small (listing snapshots reads kilobytes, not megabytes), a restore streams the ids list by list in constant
 * memory, and lists dedup across snapshots like data does. A list is ids back to back (32 bytes each). Lists are cut
 * by content too: after an id whose first two bytes have their low 10 bits zero (1 in 1024, ids being uniformly
 * random), once a list has MIN ids, and always at MAX. So an unchanged run of chunks between two backups yields the
 * same list blobs.
 */
const MIN_IDS = 64;
const MAX_IDS = 8192;
const CUT_MASK = 0x3ff;

export class ChunkListBuilder {
  private ids = Buffer.allocUnsafe(MAX_IDS * ID_SIZE);
  private count = 0;

  /** Adds an id; returns a finished list when this id ends one. */
  push(id: Buffer): Buffer | undefined {
    id.copy(this.ids, this.count * ID_SIZE);
    this.count++;
    const cutHere = this.count >= MIN_IDS && (id.readUInt16BE(0) & CUT_MASK) === 0;
    return cutHere || this.count === MAX_IDS ? this.take() : undefined;
  }

  /** The last, partial list (undefined when empty). */
  finish(): Buffer | undefined {
    return this.count > 0 ? this.take() : undefined;
  }

  private take(): Buffer {
    const list = Buffer.from(this.ids.subarray(0, this.count * ID_SIZE));
    this.count = 0;
    return list;
  }
}

/** The ids of a list blob; undefined when its length is not a multiple of 32. */
export function parseChunkList(list: Buffer): Buffer[] | undefined {
  if (list.length % ID_SIZE !== 0) return undefined;
  const ids: Buffer[] = [];
  for (let offset = 0; offset < list.length; offset += ID_SIZE) ids.push(list.subarray(offset, offset + ID_SIZE));
  return ids;
}
