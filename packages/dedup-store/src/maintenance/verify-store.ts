import { DamagedObjectError, DamagedPackError, DedupStoreError, MissingChunkError } from '../errors.js';
import type { PackRecord } from '../format/index-file.js';
import { sha256Hex } from '../format/object-ids.js';
import type { PackBlobEntry } from '../format/pack-format.js';
import { ChunkIndex } from '../index/chunk-index.js';
import { loadIndexFiles } from '../index/index-files.js';
import { StoreLock } from '../locks/store-lock.js';
import { packKey } from '../restore/read-blob.js';
import { readChunkList } from '../restore/snapshot-chunks.js';
import { loadSnapshots } from '../snapshots/snapshot-files.js';
import { mapConcurrent } from '../store/map-concurrent.js';
import { readObject } from '../store/object-io.js';
import type { StoreContext } from '../store/store-context.js';
import { parsePackHeader, readPackHeader } from './read-pack-header.js';
import { listStoredPacks } from './stored-packs.js';

export interface VerifyOptions {
  /** Also read every pack whole: check its sha256, and authenticate, decompress and hash every blob. */
  readData?: boolean;
  onProgress?: (progress: { packsChecked: number; packs: number; bytesRead: number }) => void;
}

export type VerifyProblemKind =
  | 'damaged-index'
  | 'missing-pack'
  | 'damaged-pack'
  | 'damaged-blob'
  | 'index-mismatch'
  | 'damaged-snapshot'
  | 'missing-chunk'
  | 'unindexed-pack';

export interface VerifyProblem {
  kind: VerifyProblemKind;
  /** One line: what is wrong and what to do. */
  message: string;
  packId?: string;
  blobId?: string;
  snapshotId?: string;
  key?: string;
}

export interface VerifyReport {
  /** No errors (warnings allowed). */
  ok: boolean;
  readData: boolean;
  errors: VerifyProblem[];
  /** Not damage: e.g. packs no index lists, left by an interrupted backup (gc deletes them). */
  warnings: VerifyProblem[];
  snapshots: number;
  packs: number;
  blobs: number;
  bytesRead: number;
}

const PARALLEL_PACKS = 4;
/** Per snapshot, missing chunks are listed one by one up to this many, then summarised. */
const MISSING_LISTED = 10;

function sameEntry(a: PackBlobEntry, b: PackBlobEntry): boolean {
  return (
    a.id.equals(b.id) &&
    a.type === b.type &&
    a.compressed === b.compressed &&
    a.offset === b.offset &&
    a.storedLength === b.storedLength &&
    a.plainLength === b.plainLength
  );
}

function problemOf(error: unknown, fallback: Omit<VerifyProblem, 'message'>): VerifyProblem {
  if (error instanceof DamagedPackError) {
    return {
      kind: error.blobId ? 'damaged-blob' : 'damaged-pack',
      message: error.message,
      packId: error.packId,
      ...(error.blobId && { blobId: error.blobId }),
    };
  }
  if (error instanceof DamagedObjectError) return { ...fallback, message: error.message, key: error.key };
  if (error instanceof DedupStoreError) return { ...fallback, message: error.message };
  throw error; // storage failures and bugs are not findings: they stop verify
}

/**
 * Checks the store without changing it (under a shared lock): index files parse; every indexed pack exists and its
 * header (read with ranged reads) lists exactly the blobs the index says, at the same offsets; every snapshot parses
 * and every chunk it needs is indexed in an existing pack. With readData every pack is read whole: its sha256 must be
 * its name, and every blob must authenticate, decompress and hash to its id, so a flipped byte anywhere is found
 * and named by pack and blob.
 */
export async function verifyStore(context: StoreContext, options: VerifyOptions = {}): Promise<VerifyReport> {
  return StoreLock.with(context, { exclusive: false, operation: 'verify' }, async () => {
    const readData = options.readData ?? false;
    const errors: VerifyProblem[] = [];
    const warnings: VerifyProblem[] = [];
    let bytesRead = 0;
    let blobs = 0;

    const files = await loadIndexFiles(context, (key, error) => {
      errors.push(problemOf(error, { kind: 'damaged-index', key }));
    });
    const indexed = new Map<string, PackRecord>();
    for (const file of files) {
      for (const record of file.packs) {
        const known = indexed.get(record.packId);
        if (!known) indexed.set(record.packId, record);
        else if (
          known.blobs.length !== record.blobs.length ||
          !known.blobs.every((b, i) => sameEntry(b, record.blobs[i]!))
        ) {
          errors.push({
            kind: 'index-mismatch',
            packId: record.packId,
            key: file.key,
            message: `index files disagree about pack ${record.packId}: run rebuildIndex`,
          });
        }
      }
    }
    const stored = await listStoredPacks(context);
    const missing = new Set<string>();
    for (const packId of indexed.keys()) {
      if (stored.has(packId)) continue;
      missing.add(packId);
      errors.push({
        kind: 'missing-pack',
        packId,
        message: `pack ${packId} is listed in the index but missing from the store: snapshots that need its blobs cannot be restored; delete them and run gc`,
      });
    }
    for (const packId of stored.keys()) {
      if (indexed.has(packId)) continue;
      warnings.push({
        kind: 'unindexed-pack',
        packId,
        message: `pack ${packId} is in no index (left by an interrupted backup or gc, or written by a backup still running): gc deletes it once no backup runs`,
      });
    }

    const toCheck = [...indexed.values()].filter((record) => !missing.has(record.packId));
    let packsChecked = 0;
    await mapConcurrent(toCheck, PARALLEL_PACKS, async (record) => {
      const size = stored.get(record.packId)!;
      try {
        let entries: PackBlobEntry[];
        if (readData) {
          const pack = await readObject(context.backend, packKey(context, record.packId));
          bytesRead += pack.length;
          const intact = sha256Hex(pack) === record.packId;
          entries = parsePackHeader(context, record.packId, pack);
          let damagedBlobs = 0;
          for (const entry of entries) {
            try {
              context.codec.decode(
                pack.subarray(entry.offset, entry.offset + entry.storedLength),
                entry,
                record.packId,
              );
            } catch (error) {
              damagedBlobs++;
              errors.push(problemOf(error, { kind: 'damaged-blob', packId: record.packId }));
            }
          }
          if (!intact && damagedBlobs === 0) {
            errors.push({
              kind: 'damaged-pack',
              packId: record.packId,
              message: `pack ${record.packId} does not hash to its name although its header and every blob read fine: restores are unaffected; replace the pack from a copy if you keep one`,
            });
          }
        } else {
          entries = await readPackHeader(context, record.packId, size);
          bytesRead += size - entries.reduce((sum, entry) => sum + entry.storedLength, 0);
        }
        blobs += entries.length;
        const matches =
          entries.length === record.blobs.length && entries.every((entry, i) => sameEntry(entry, record.blobs[i]!));
        if (!matches) {
          const differing = record.blobs.find((blob, i) => !entries[i] || !sameEntry(blob, entries[i]));
          errors.push({
            kind: 'index-mismatch',
            packId: record.packId,
            ...(differing && { blobId: differing.id.toString('hex') }),
            message: `pack ${record.packId} holds other blobs than the index says${differing ? ` (first difference: blob ${differing.id.toString('hex')})` : ''}: run rebuildIndex`,
          });
        }
      } catch (error) {
        errors.push(problemOf(error, { kind: 'damaged-pack', packId: record.packId }));
      }
      packsChecked++;
      options.onProgress?.({ packsChecked, packs: toCheck.length, bytesRead });
    });

    // Snapshots: every chunk must be indexed in a pack that exists.
    const index = ChunkIndex.fromPacks(toCheck);
    const snapshots = await loadSnapshots(context, (id, error) => {
      errors.push(problemOf(error, { kind: 'damaged-snapshot', snapshotId: id }));
    });
    for (const snapshot of snapshots) {
      const owner = `snapshot ${snapshot.id.slice(0, 12)}`;
      let missingChunks = 0;
      const report = (chunkHex: string, why: string) => {
        missingChunks++;
        if (missingChunks > MISSING_LISTED) return;
        errors.push({
          kind: 'missing-chunk',
          snapshotId: snapshot.id,
          blobId: chunkHex,
          message: `${owner} needs chunk ${chunkHex}, ${why}: that snapshot cannot be restored; delete it and run gc`,
        });
      };
      for (const listHex of snapshot.lists) {
        let ids: Buffer[];
        try {
          ids = await readChunkList(context, index, listHex, owner);
        } catch (error) {
          if (error instanceof MissingChunkError) report(listHex, 'a chunk list no index lists in an existing pack');
          else errors.push({ ...problemOf(error, { kind: 'damaged-blob' }), snapshotId: snapshot.id });
          continue;
        }
        for (const id of ids)
          if (!index.lookup(id)) report(id.toString('hex'), 'which no index lists in an existing pack');
      }
      if (missingChunks > MISSING_LISTED) {
        errors.push({
          kind: 'missing-chunk',
          snapshotId: snapshot.id,
          message: `${owner} misses ${missingChunks} chunks in all (${MISSING_LISTED} listed): delete it and run gc`,
        });
      }
    }

    return {
      ok: errors.length === 0,
      readData,
      errors,
      warnings,
      snapshots: snapshots.length,
      packs: toCheck.length,
      blobs,
      bytesRead,
    };
  });
}
