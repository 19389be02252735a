import { createHash } from 'node:crypto';
import os from 'node:os';
import { chunkStream } from '../chunker/chunk-stream.js';
import type { EncodedBlob } from '../format/blob-codec.js';
import { ChunkListBuilder } from '../format/chunk-list.js';
import { idKeyOf } from '../format/object-ids.js';
import type { BlobType } from '../format/pack-format.js';
import { type SnapshotInfo, snapshotInfoOf } from '../format/snapshot-manifest.js';
import { loadChunkIndex, writeIndexFiles } from '../index/index-files.js';
import { StoreLock } from '../locks/store-lock.js';
import { writeSnapshot } from '../snapshots/snapshot-files.js';
import type { StoreContext } from '../store/store-context.js';
import { PackWriter } from './pack-writer.js';

export interface BackupOptions {
  /** What is backed up, as `list` shows it: a file path, '-' for stdin, 'pg://host/db', ... */
  source: string;
  database?: string;
  engine?: string;
  tags?: string[];
  /** Free-form string pairs kept in the manifest (e.g. server version, consistency point). */
  meta?: Record<string, string>;
  /** Default os.hostname(). */
  hostname?: string;
  /** The snapshot's time, which retention decides by (default: when the backup starts). */
  time?: Date;
  /** Aborting stops the backup; no snapshot is written and the packs already uploaded are left for gc. */
  signal?: AbortSignal;
  /** Called after every chunk. */
  onProgress?: (progress: BackupProgress) => void;
}

export interface BackupProgress {
  bytesRead: number;
  chunks: number;
  newChunks: number;
  /** Plain bytes of the chunks the store did not have yet. */
  newChunkBytes: number;
  /** Bytes of packs uploaded so far. */
  storedBytes: number;
}

export interface BackupResult {
  snapshot: SnapshotInfo;
  chunks: number;
  /** Chunks (data, not lists) that were not in the store, and their plain bytes: what deduplication could not save. */
  newChunks: number;
  newChunkBytes: number;
  /** Bytes this backup added to the store: packs, index files and the manifest. */
  addedBytes: number;
  packs: number;
}

/** Index files are written every this many packs (1 GiB at the default pack size), so memory does not grow with them. */
const INDEX_EVERY_PACKS = 64;

function encodesInFlight(): number {
  return Math.min(8, Math.max(2, os.availableParallelism()));
}

/**
 * One backup: chunk the stream (FastCDC), store the chunks the store lacks (zstd, encrypted when the store is) in
 * packs, write index files for those packs once they are stored, and the manifest last. A crash at any point leaves
 * no manifest that points at missing data; what was uploaded becomes garbage for gc. Runs under a shared lock, so
 * other backups may run at once (a chunk both write is stored twice; gc keeps one copy).
 */
export async function runBackup(
  context: StoreContext,
  source: AsyncIterable<Uint8Array | string>,
  options: BackupOptions,
): Promise<BackupResult> {
  return StoreLock.with(context, { exclusive: false, operation: 'backup' }, async (lock) => {
    const started = options.time ?? new Date();
    // Loaded under the lock: gc cannot remove a pack between our lookup and our manifest.
    const index = await loadChunkIndex(context);
    /** Chunks handed to the pack writer whose pack is not stored yet (then they are in `index`). */
    const pending = new Set<string>();
    const writer = new PackWriter(context, {
      ...(options.signal && { signal: options.signal }),
      onStored: (record) => {
        index.addPack(record);
        for (const blob of record.blobs) pending.delete(idKeyOf(blob.id));
      },
    });
    const streamHash = createHash('sha256');
    const lists = new ChunkListBuilder();
    const listIds: string[] = [];
    const encoding: Promise<EncodedBlob>[] = [];
    const limit = encodesInFlight();
    const progress: BackupProgress = { bytesRead: 0, chunks: 0, newChunks: 0, newChunkBytes: 0, storedBytes: 0 };
    let indexBytes = 0;

    const writeStoredIndex = async () => {
      await lock.assertHeld();
      for (const file of await writeIndexFiles(context, writer.drainStored())) indexBytes += file.size;
    };
    const drainEncoding = async (keep: number) => {
      while (encoding.length > keep) {
        await writer.add(await encoding.shift()!);
        if (writer.storedCount >= INDEX_EVERY_PACKS) await writeStoredIndex();
      }
    };
    /** Queues a blob unless the store (or this backup) already has it; returns whether it is new. */
    const store = async (plain: Buffer, type: BlobType, id: Buffer): Promise<boolean> => {
      const key = idKeyOf(id);
      if (pending.has(key) || index.has(id)) return false;
      pending.add(key);
      const encoded = context.codec.encode(plain, type, id);
      encoded.catch(() => undefined); // awaited in order by drainEncoding; this only keeps it from being "unhandled"
      encoding.push(encoded);
      await drainEncoding(limit - 1);
      return true;
    };
    const storeList = async (list: Buffer | undefined) => {
      if (!list) return;
      const id = context.codec.idOf(list);
      listIds.push(id.toString('hex'));
      await store(list, 'list', id);
    };

    try {
      for await (const chunk of chunkStream(source, context.config.chunker, context.gear)) {
        options.signal?.throwIfAborted();
        streamHash.update(chunk);
        const id = context.codec.idOf(chunk);
        progress.bytesRead += chunk.length;
        progress.chunks++;
        if (await store(chunk, 'data', id)) {
          progress.newChunks++;
          progress.newChunkBytes += chunk.length;
        }
        await storeList(lists.push(id));
        progress.storedBytes = writer.storedBytes;
        options.onProgress?.({ ...progress });
      }
      options.signal?.throwIfAborted();
      await storeList(lists.finish());
      await drainEncoding(0);
      await writer.finish();
      await writeStoredIndex();
    } catch (error) {
      await Promise.allSettled(encoding);
      await writer.abandon();
      throw error;
    }

    await lock.assertHeld();
    const { snapshot, storedSize: manifestBytes } = await writeSnapshot(context, {
      created: started.toISOString(),
      finished: new Date().toISOString(),
      source: options.source,
      database: options.database ?? null,
      engine: options.engine ?? null,
      hostname: options.hostname ?? os.hostname(),
      size: progress.bytesRead,
      sha256: streamHash.digest('hex'),
      chunkCount: progress.chunks,
      lists: listIds,
      tags: options.tags ?? [],
      meta: options.meta ?? {},
    });
    return {
      snapshot: snapshotInfoOf(snapshot),
      chunks: progress.chunks,
      newChunks: progress.newChunks,
      newChunkBytes: progress.newChunkBytes,
      addedBytes: writer.storedBytes + indexBytes + manifestBytes,
      packs: writer.packCount,
    };
  });
}
