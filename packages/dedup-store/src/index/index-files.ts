import { decodeIndexFile, encodeIndexFile, type PackRecord } from '../format/index-file.js';
import { INDEX_DIRECTORY } from '../format/store-layout.js';
import { readContentAddressed, writeContentAddressed } from '../store/content-addressed.js';
import { mapConcurrent } from '../store/map-concurrent.js';
import { listObjects } from '../store/object-io.js';
import type { StoreContext } from '../store/store-context.js';
import { ChunkIndex } from './chunk-index.js';

export interface IndexFile {
  key: string;
  size: number;
  packs: PackRecord[];
}

/** An index file holds packs until it lists about this many blobs (~8 MiB, restic's bound). */
const BLOBS_PER_INDEX_FILE = 200_000;
const PARALLEL_READS = 8;

/** Reads every index file; a damaged one throws DamagedObjectError (or goes to `onDamaged` when given). */
export async function loadIndexFiles(
  context: StoreContext,
  onDamaged?: (key: string, error: unknown) => void,
): Promise<IndexFile[]> {
  const objects = await listObjects(context.backend, `${context.prefix}${INDEX_DIRECTORY}`);
  const files = await mapConcurrent(objects, PARALLEL_READS, async (info): Promise<IndexFile | undefined> => {
    try {
      const stored = await readContentAddressed(context, info.key);
      return { key: info.key, size: info.size, packs: decodeIndexFile(context.codec, stored, info.key) };
    } catch (error) {
      if (!onDamaged) throw error;
      onDamaged(info.key, error);
      return undefined;
    }
  });
  return files.filter((file): file is IndexFile => file !== undefined);
}

export async function loadChunkIndex(context: StoreContext): Promise<ChunkIndex> {
  const files = await loadIndexFiles(context);
  return ChunkIndex.fromPacks(files.flatMap((file) => file.packs));
}

/** Writes index files covering `packs` (only after those packs are stored); returns the files written. */
export async function writeIndexFiles(
  context: StoreContext,
  packs: readonly PackRecord[],
): Promise<{ key: string; size: number }[]> {
  const written: { key: string; size: number }[] = [];
  let batch: PackRecord[] = [];
  let blobs = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const stored = encodeIndexFile(context.codec, batch);
    const { key } = await writeContentAddressed(context, INDEX_DIRECTORY, stored);
    written.push({ key, size: stored.length });
    batch = [];
    blobs = 0;
  };
  for (const pack of packs) {
    batch.push(pack);
    blobs += pack.blobs.length;
    if (blobs >= BLOBS_PER_INDEX_FILE) await flush();
  }
  await flush();
  return written;
}
