import type { Readable, Writable } from 'node:stream';
import { NotFoundError } from '@dbbackup/cloud';
import type { RetentionPolicy } from '@dbbackup/retention';
import { type BackupOptions, type BackupResult, runBackup } from '../backup/run-backup.js';
import { DamagedObjectError, type LockHolder } from '../errors.js';
import { type Snapshot, type SnapshotInfo, snapshotInfoOf } from '../format/snapshot-manifest.js';
import type { StoreConfig } from '../format/store-config.js';
import { removeStaleLocks, StoreLock } from '../locks/store-lock.js';
import { collectGarbage, type GcOptions, type GcReport } from '../maintenance/collect-garbage.js';
import { type PruneOptions, type PruneReport, pruneSnapshots } from '../maintenance/prune-snapshots.js';
import { type RebuildIndexReport, rebuildIndex } from '../maintenance/rebuild-index.js';
import { type VerifyOptions, type VerifyReport, verifyStore } from '../maintenance/verify-store.js';
import {
  openSnapshotStream,
  type RestoreOptions,
  type RestoreResult,
  restoreSnapshot,
} from '../restore/restore-snapshot.js';
import {
  loadSnapshots,
  readSnapshot,
  resolveSnapshot,
  resolveSnapshotId,
  snapshotKey,
} from '../snapshots/snapshot-files.js';
import type { StoreContext } from './store-context.js';
import { type StoreStats, storeStats } from './store-stats.js';

/**
 * An opened dedup store (see openStore / initStore). Every method is one CLI command: backup, list, restore, stats,
 * verify, delete, prune, gc. The store does not own the backend: close the backend when done.
 */
export class DedupStore {
  readonly #context: StoreContext;

  constructor(context: StoreContext) {
    this.#context = context;
  }

  /** Where the store is, for messages: 'file:///srv/dedup', 's3://bucket/prefix/'. */
  get location(): string {
    return this.#context.location;
  }

  get config(): Readonly<StoreConfig> {
    return this.#context.config;
  }

  get encrypted(): boolean {
    return this.#context.config.encryption !== 'none';
  }

  /** Backs up a byte stream (a file's ReadStream, process.stdin, a dump's stdout) as a new snapshot. */
  backup(source: AsyncIterable<Uint8Array | string>, options: BackupOptions): Promise<BackupResult> {
    return runBackup(this.#context, source, options);
  }

  /** Every snapshot, oldest first. */
  async listSnapshots(): Promise<SnapshotInfo[]> {
    return (await loadSnapshots(this.#context)).map(snapshotInfoOf);
  }

  /** By full id, unique prefix, or 'latest'. SnapshotNotFoundError / AmbiguousSnapshotIdError. */
  findSnapshot(idOrPrefix: string): Promise<Snapshot> {
    return resolveSnapshot(this.#context, idOrPrefix);
  }

  /** Writes a snapshot's bytes to `destination` (ended afterwards unless `end: false`), checking every chunk and the whole. */
  restore(idOrPrefix: string, destination: Writable, options?: RestoreOptions): Promise<RestoreResult> {
    return restoreSnapshot(this.#context, idOrPrefix, destination, options);
  }

  /** A snapshot's bytes as a Readable (to pipe into a decompressor or a database client); consume or destroy it. */
  openSnapshotStream(
    idOrPrefix: string,
    options?: { signal?: AbortSignal },
  ): Promise<{ snapshot: SnapshotInfo; stream: Readable }> {
    return openSnapshotStream(this.#context, idOrPrefix, options);
  }

  stats(): Promise<StoreStats> {
    return storeStats(this.#context);
  }

  verify(options?: VerifyOptions): Promise<VerifyReport> {
    return verifyStore(this.#context, options);
  }

  /**
   * Deletes one snapshot's manifest (shared lock); its chunks stay until gc. Returns the full id and what the
   * snapshot was (null when its manifest was damaged: deleting is how a damaged snapshot is got rid of).
   */
  async deleteSnapshot(idOrPrefix: string): Promise<{ id: string; snapshot: SnapshotInfo | null }> {
    const context = this.#context;
    return StoreLock.with(context, { exclusive: false, operation: 'delete' }, async () => {
      const id =
        idOrPrefix.trim().toLowerCase() === 'latest'
          ? (await resolveSnapshot(context, idOrPrefix)).id
          : await resolveSnapshotId(context, idOrPrefix);
      const snapshot = await readSnapshot(context, id).then(snapshotInfoOf, (error: unknown) => {
        if (error instanceof DamagedObjectError) return null;
        throw error;
      });
      await context.backend.delete(snapshotKey(context, id)).catch((error: unknown) => {
        if (!(error instanceof NotFoundError)) throw error;
      });
      return { id, snapshot };
    });
  }

  /** Applies a retention policy (see PruneOptions), then gc. Exclusive lock. */
  prune(policy: RetentionPolicy, options?: PruneOptions): Promise<PruneReport> {
    return pruneSnapshots(this.#context, policy, options);
  }

  /** Deletes and repacks packs no snapshot needs (exclusive lock; StoreLockedError while a backup runs). */
  gc(options?: GcOptions): Promise<GcReport> {
    const context = this.#context;
    return StoreLock.with(context, { exclusive: true, operation: 'gc' }, (lock) =>
      collectGarbage(context, lock, options),
    );
  }

  /** Rewrites the index from the packs' headers (exclusive lock). */
  rebuildIndex(): Promise<RebuildIndexReport> {
    return rebuildIndex(this.#context);
  }

  /** Removes the locks of processes that are gone (see LockOptions.staleAfterMs); returns their holders. */
  removeStaleLocks(): Promise<LockHolder[]> {
    return removeStaleLocks(this.#context);
  }
}
