import type { LocatedChunk } from './snapshot-chunks.js';

/** One ranged read that serves several consecutive chunks of a snapshot. */
export interface ReadBatch {
  packId: string;
  start: number;
  end: number;
  chunks: LocatedChunk[];
}

/** A batch never spans more than this, so restore memory stays bounded (times the reads in flight). */
const MAX_BATCH_BYTES = 8 * 1024 * 1024;
/** Reading over a gap this small (blobs of other snapshots) is cheaper than another request. */
const MAX_GAP_BYTES = 256 * 1024;

/**
 * Groups consecutive chunks that lie close together in one pack into one ranged read: a backup writes a stream's new
 * chunks in order, so a restore mostly reads packs front to back, and one request per few MiB instead of per chunk
 * matters on object stores. A chunk seen earlier in the same window (a repeated block) rides along for free.
 */
export async function* readBatches(chunks: AsyncIterable<LocatedChunk>): AsyncGenerator<ReadBatch> {
  let batch: ReadBatch | undefined;
  for await (const chunk of chunks) {
    const { packId, offset, storedLength } = chunk.location;
    const end = offset + storedLength;
    if (
      batch &&
      batch.packId === packId &&
      offset >= batch.start &&
      offset <= batch.end + MAX_GAP_BYTES &&
      Math.max(batch.end, end) - batch.start <= MAX_BATCH_BYTES
    ) {
      batch.chunks.push(chunk);
      batch.end = Math.max(batch.end, end);
      continue;
    }
    if (batch) yield batch;
    batch = { packId, start: offset, end, chunks: [chunk] };
  }
  if (batch) yield batch;
}
