/**
 * Encoded rows are written into 1 MiB chunks that are recycled across parts, work items and backups. Fresh memory
 * is what costs: every new page of a large buffer faults on first touch (measured ~6 ms per MiB for 32 MiB
 * buffers, which glibc always maps afresh, i.e. more than encoding the rows), while recycled chunks cost nothing.
 */
export const CHUNK_BYTES = 1024 * 1024;

/**
 * Free chunks kept for reuse; beyond this, returned chunks are left to the garbage collector. 96 MiB covers two jobs'
 * three 16 MiB parts each; a larger pool only kept idle memory (it counted in the backup's peak RSS).
 */
const MAX_FREE_CHUNKS = 96;

const free: Buffer[] = [];

export function takeChunk(): Buffer {
  return free.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES);
}

/** Gives a chunk back once nothing refers to its bytes any more. Odd-sized buffers are not pooled. */
export function returnChunk(chunk: Buffer): void {
  if (chunk.length === CHUNK_BYTES && free.length < MAX_FREE_CHUNKS) free.push(chunk);
}
