import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { NotFoundError, type ObjectInfo, type StorageBackend } from '@dbbackup/cloud';
import { type LockHolder, LockLostError, StoreLockedError } from '../errors.js';
import { baseName, LOCKS_DIRECTORY } from '../format/store-layout.js';
import { putBuffers, readObject } from '../store/object-io.js';
import type { ResolvedLockOptions } from './lock-options.js';

/** What acquiring and checking locks needs (a subset of StoreContext, so tests can lock without opening a store). */
export interface LockScope {
  backend: StorageBackend;
  prefix: string;
  location: string;
  lockOptions: ResolvedLockOptions;
}

interface LockDocument {
  exclusive: boolean;
  operation: string;
  hostname: string;
  username: string;
  pid: number;
  time: string;
}

interface ExistingLock {
  key: string;
  holder: LockHolder;
  modifiedAt: Date;
}

function isProcessGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Stale: not refreshed within staleAfterMs, or taken on this host by a process that no longer exists (a killed
 * backup's lock need not block gc for half an hour). An unreadable lock ages by its object's modification time.
 */
function isStale(lock: ExistingLock, options: ResolvedLockOptions, now: number): boolean {
  const time = Date.parse(lock.holder.time);
  const refreshed = Number.isNaN(time) ? lock.modifiedAt.getTime() : time;
  if (now - refreshed > options.staleAfterMs) return true;
  return lock.holder.hostname === os.hostname() && lock.holder.pid > 0 && isProcessGone(lock.holder.pid);
}

async function readLocks(scope: LockScope): Promise<ExistingLock[]> {
  const infos: ObjectInfo[] = [];
  for await (const info of scope.backend.list(`${scope.prefix}${LOCKS_DIRECTORY}`)) infos.push(info);
  const locks: ExistingLock[] = [];
  for (const info of infos) {
    const lockId = baseName(info.key);
    let document: Partial<LockDocument> = {};
    try {
      document = JSON.parse((await readObject(scope.backend, info.key)).toString('utf8')) as Partial<LockDocument>;
    } catch (error) {
      if (error instanceof NotFoundError) continue; // released while we listed
      // Unreadable: still counts as held until it ages out.
    }
    locks.push({
      key: info.key,
      modifiedAt: info.modifiedAt,
      holder: {
        lockId,
        exclusive: document.exclusive !== false,
        hostname: typeof document.hostname === 'string' ? document.hostname : 'unknown',
        pid: typeof document.pid === 'number' ? document.pid : 0,
        operation: typeof document.operation === 'string' ? document.operation : 'unknown',
        time: typeof document.time === 'string' ? document.time : info.modifiedAt.toISOString(),
      },
    });
  }
  return locks;
}

/** Locks that stop a lock of the given kind: any live lock for an exclusive one, live exclusive ones for a shared one. */
function conflicting(locks: ExistingLock[], exclusive: boolean, ownKey: string | undefined, scope: LockScope) {
  const now = Date.now();
  return locks.filter(
    (lock) => lock.key !== ownKey && (exclusive || lock.holder.exclusive) && !isStale(lock, scope.lockOptions, now),
  );
}

/** Deletes locks whose process is gone; returns who held them. */
export async function removeStaleLocks(scope: LockScope): Promise<LockHolder[]> {
  const now = Date.now();
  const removed: LockHolder[] = [];
  for (const lock of await readLocks(scope)) {
    if (!isStale(lock, scope.lockOptions, now)) continue;
    await scope.backend.delete(lock.key).catch((error: unknown) => {
      if (!(error instanceof NotFoundError)) throw error;
    });
    removed.push(lock.holder);
  }
  return removed;
}

/**
 * A lock object under locks/, restic's protocol: backups, restores and verify take shared locks (many at once);
 * gc, prune and rebuildIndex take an exclusive one (alone). To acquire: check for conflicts, write our lock, check
 * again (two processes that raced both see each other and both back off). While held, the lock is replaced with a
 * fresh time every refreshIntervalMs.
 */
export class StoreLock {
  private readonly scope: LockScope;
  /** The current lock object; every refresh writes a new one (see refresh). */
  private key: string;
  private readonly document: LockDocument;
  private readonly timer: NodeJS.Timeout;
  private refreshing: Promise<void> = Promise.resolve();
  private released = false;
  /** When the lock object was last written successfully (ms since the epoch). */
  private refreshedAt = Date.now();
  /** Found missing (by a refresh or assertHeld): another process removed it as stale. */
  private removed = false;

  private constructor(scope: LockScope, key: string, document: LockDocument) {
    this.scope = scope;
    this.key = key;
    this.document = document;
    this.timer = setInterval(() => {
      this.refreshing = this.refreshing.then(() => this.refresh());
    }, scope.lockOptions.refreshIntervalMs);
    this.timer.unref();
  }

  /** Throws StoreLockedError naming the holder when a conflicting live lock exists. */
  static async acquire(scope: LockScope, request: { exclusive: boolean; operation: string }): Promise<StoreLock> {
    const refuse = (lock: ExistingLock) =>
      new StoreLockedError(scope.location, request.operation, lock.holder, scope.lockOptions.staleAfterMs);
    const before = conflicting(await readLocks(scope), request.exclusive, undefined, scope);
    if (before[0]) throw refuse(before[0]);
    if (request.exclusive) await removeStaleLocks(scope);

    const key = newLockKey(scope);
    const document: LockDocument = {
      exclusive: request.exclusive,
      operation: request.operation,
      hostname: os.hostname(),
      username: os.userInfo().username,
      pid: process.pid,
      time: new Date().toISOString(),
    };
    await putBuffers(scope.backend, key, [Buffer.from(JSON.stringify(document))]);
    const after = conflicting(await readLocks(scope), request.exclusive, key, scope);
    if (after[0]) {
      await scope.backend.delete(key).catch(() => undefined);
      throw refuse(after[0]);
    }
    return new StoreLock(scope, key, document);
  }

  /** Runs `operation` under a lock and releases it however the operation ends. */
  static async with<T>(
    scope: LockScope,
    request: { exclusive: boolean; operation: string },
    operation: (lock: StoreLock) => Promise<T>,
  ): Promise<T> {
    const lock = await StoreLock.acquire(scope, request);
    try {
      return await operation(lock);
    } finally {
      await lock.release();
    }
  }

  /**
   * Throws LockLostError when this lock may no longer protect us: its object is gone (another process removed it as
   * stale) or it was not refreshed within staleAfterMs (this process was paused or could not reach the store). A
   * backup calls it before writing index files and its manifest, restic's guard against committing data a gc
   * removed meanwhile.
   */
  async assertHeld(): Promise<void> {
    const { location, lockOptions } = this.scope;
    const removed = () =>
      new LockLostError(location, this.document.operation, 'was removed by another process as stale');
    if (this.removed) throw removed();
    if (Date.now() - this.refreshedAt > lockOptions.staleAfterMs) {
      throw new LockLostError(
        location,
        this.document.operation,
        `was not refreshed for ${Math.round((Date.now() - this.refreshedAt) / 60_000)} min`,
      );
    }
    try {
      await this.scope.backend.stat(this.key);
    } catch (error) {
      if (error instanceof NotFoundError) throw removed();
      throw error;
    }
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    clearInterval(this.timer);
    await this.refreshing;
    await this.scope.backend.delete(this.key).catch(() => undefined);
  }

  /**
   * restic's refresh: write a new lock object with a fresh time, then delete the old one. Finding the old one already
   * gone proves another process removed it as stale (and may have run gc since), which no later check could tell
   * once a rewrite of the same object had put it back. A failed write is retried at the next tick: the lock only turns
   * stale after several missed refreshes.
   */
  private async refresh(): Promise<void> {
    if (this.released || this.removed) return;
    const time = Date.now();
    const document = { ...this.document, time: new Date(time).toISOString() };
    const newKey = newLockKey(this.scope);
    try {
      await putBuffers(this.scope.backend, newKey, [Buffer.from(JSON.stringify(document))]);
    } catch {
      return;
    }
    const oldKey = this.key;
    this.key = newKey;
    this.document.time = document.time;
    this.refreshedAt = time;
    await this.scope.backend.delete(oldKey).catch((error: unknown) => {
      if (error instanceof NotFoundError) this.removed = true;
    });
  }
}

function newLockKey(scope: LockScope): string {
  return `${scope.prefix}${LOCKS_DIRECTORY}${randomBytes(16).toString('hex')}`;
}
