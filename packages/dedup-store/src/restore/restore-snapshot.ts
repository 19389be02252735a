import { createHash } from 'node:crypto';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { RestoreMismatchError } from '../errors.js';
import { type Snapshot, type SnapshotInfo, snapshotInfoOf } from '../format/snapshot-manifest.js';
import type { ChunkIndex } from '../index/chunk-index.js';
import { loadChunkIndex } from '../index/index-files.js';
import { StoreLock } from '../locks/store-lock.js';
import { resolveSnapshot } from '../snapshots/snapshot-files.js';
import { readObject } from '../store/object-io.js';
import type { StoreContext } from '../store/store-context.js';
import { type ReadBatch, readBatches } from './read-batches.js';
import { packKey } from './read-blob.js';
import { snapshotChunks } from './snapshot-chunks.js';

export interface RestoreOptions {
  /** End `destination` when done (default true; false to keep writing to it, e.g. several restores into one pipe). */
  end?: boolean;
  signal?: AbortSignal;
}

export interface RestoreResult {
  snapshot: SnapshotInfo;
  bytes: number;
}

/** Ranged reads in flight ahead of the writer (each at most 8 MiB). */
const READS_AHEAD = 4;

async function readBatch(context: StoreContext, batch: ReadBatch): Promise<Buffer[]> {
  const bytes = await readObject(context.backend, packKey(context, batch.packId), {
    offset: batch.start,
    length: batch.end - batch.start,
  });
  return batch.chunks.map(({ id, location }) => {
    const from = location.offset - batch.start;
    const stored = bytes.subarray(from, from + location.storedLength);
    return context.codec.decode(stored, { id, ...location }, location.packId);
  });
}

/**
 * The snapshot's bytes in order. Every chunk is authenticated (encrypted stores), decompressed and checked against
 * its id as it is read; the whole stream's size and sha256 are checked at the end (RestoreMismatchError).
 */
async function* snapshotBytes(
  context: StoreContext,
  index: ChunkIndex,
  snapshot: Snapshot,
  signal: AbortSignal | undefined,
): AsyncGenerator<Buffer> {
  const hash = createHash('sha256');
  let size = 0;
  const ahead: Promise<Buffer[]>[] = [];
  const emit = function* (chunks: Buffer[]) {
    for (const chunk of chunks) {
      hash.update(chunk);
      size += chunk.length;
      yield chunk;
    }
  };
  try {
    for await (const batch of readBatches(snapshotChunks(context, index, snapshot))) {
      signal?.throwIfAborted();
      const read = readBatch(context, batch);
      read.catch(() => undefined); // awaited in order below
      ahead.push(read);
      if (ahead.length >= READS_AHEAD) yield* emit(await ahead.shift()!);
    }
    while (ahead.length > 0) yield* emit(await ahead.shift()!);
  } finally {
    await Promise.allSettled(ahead);
  }
  if (size !== snapshot.size) throw new RestoreMismatchError(snapshot.id, `${size} bytes instead of ${snapshot.size}`);
  const digest = hash.digest('hex');
  if (digest !== snapshot.sha256)
    throw new RestoreMismatchError(snapshot.id, `sha256 ${digest} instead of ${snapshot.sha256}`);
}

/**
 * A readable stream of a snapshot's bytes, under a shared lock (gc cannot remove its packs meanwhile) that is released
 * when the stream closes: read it to the end or destroy it.
 */
export async function openSnapshotStream(
  context: StoreContext,
  idOrPrefix: string,
  options: { signal?: AbortSignal } = {},
): Promise<{ snapshot: SnapshotInfo; stream: Readable }> {
  const lock = await StoreLock.acquire(context, { exclusive: false, operation: 'restore' });
  try {
    const snapshot = await resolveSnapshot(context, idOrPrefix);
    const index = await loadChunkIndex(context);
    const stream = Readable.from(snapshotBytes(context, index, snapshot, options.signal), { objectMode: false });
    stream.once('close', () => void lock.release());
    return { snapshot: snapshotInfoOf(snapshot), stream };
  } catch (error) {
    await lock.release();
    throw error;
  }
}

/** Restores a snapshot into `destination` (a file, stdout, a pipe into psql) with backpressure. */
export async function restoreSnapshot(
  context: StoreContext,
  idOrPrefix: string,
  destination: Writable,
  options: RestoreOptions = {},
): Promise<RestoreResult> {
  return StoreLock.with(context, { exclusive: false, operation: 'restore' }, async () => {
    const snapshot = await resolveSnapshot(context, idOrPrefix);
    const index = await loadChunkIndex(context);
    const source = Readable.from(snapshotBytes(context, index, snapshot, options.signal), { objectMode: false });
    await pipeline(source, destination, {
      end: options.end ?? true,
      ...(options.signal && { signal: options.signal }),
    });
    return { snapshot: snapshotInfoOf(snapshot), bytes: snapshot.size };
  });
}
