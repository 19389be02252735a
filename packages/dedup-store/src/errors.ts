/**
 * Errors of the dedup store. Each message is one actionable line (what went wrong and how to fix it); `code` is
 * stable, so callers branch on it (or on the class), never on message text. A wrong or missing master key is
 * reported with @dbbackup/crypto's WrongKeyError / MissingKeyError, like an encrypted archive.
 */
export class DedupStoreError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** NOT_INITIALISED: there is no store (no `config` object) where one was expected. */
export class StoreNotInitialisedError extends DedupStoreError {
  readonly location: string;
  constructor(location: string) {
    super(
      'NOT_INITIALISED',
      `no dedup store at ${location} (it has no config object): check the directory or URI, or create a store there with initStore / a first backup`,
    );
    this.location = location;
  }
}

/** ALREADY_INITIALISED: initStore found a store where it was asked to create one. */
export class StoreAlreadyInitialisedError extends DedupStoreError {
  readonly location: string;
  constructor(location: string) {
    super(
      'ALREADY_INITIALISED',
      `a dedup store already exists at ${location}: open it instead, or choose an empty directory or prefix`,
    );
    this.location = location;
  }
}

/** STORE_FORMAT: the config is unreadable or from a newer format version. */
export class StoreFormatError extends DedupStoreError {
  constructor(message: string, options?: ErrorOptions) {
    super('STORE_FORMAT', message, options);
  }
}

/** ENCRYPTION_MISMATCH: a key was given for an unencrypted store (refused, so nobody believes their data is encrypted). */
export class EncryptionMismatchError extends DedupStoreError {
  constructor(location: string) {
    super(
      'ENCRYPTION_MISMATCH',
      `the dedup store at ${location} is not encrypted but an encryption key was given: drop the key, or back up into a new store created with the key`,
    );
  }
}

/** INVALID_OPTION: a chunker, pack or policy option out of range. */
export class InvalidStoreOptionError extends DedupStoreError {
  constructor(message: string) {
    super('INVALID_OPTION', message);
  }
}

/** Who holds a lock, as written in its lock object. */
export interface LockHolder {
  lockId: string;
  exclusive: boolean;
  hostname: string;
  pid: number;
  /** The operation that took it ('backup', 'gc', ...). */
  operation: string;
  /** When it was taken / last refreshed (ISO 8601). */
  time: string;
}

function describeHolder(holder: LockHolder): string {
  return `${holder.exclusive ? 'an exclusive' : 'a shared'} lock (${holder.operation}) of host ${holder.hostname} pid ${holder.pid}, refreshed ${holder.time}`;
}

/** LOCKED: another process holds a lock that conflicts with the one wanted. */
export class StoreLockedError extends DedupStoreError {
  readonly holder: LockHolder;
  constructor(location: string, wanted: string, holder: LockHolder, staleAfterMs: number) {
    super(
      'LOCKED',
      `cannot start ${wanted}: the dedup store at ${location} is held by ${describeHolder(holder)}; wait for it to finish and retry (a lock turns stale when its process is gone from this host or after ${Math.round(staleAfterMs / 60_000)} min without refresh)`,
    );
    this.holder = holder;
  }
}

/** LOCK_LOST: a running operation found its own lock gone or stale, so gc may have run meanwhile; it stopped. */
export class LockLostError extends DedupStoreError {
  constructor(location: string, operation: string, reason: string) {
    super(
      'LOCK_LOST',
      `${operation} stopped without writing anything further: its lock on the dedup store at ${location} ${reason}, so a gc may have removed its data; run it again`,
    );
  }
}

/** SNAPSHOT_NOT_FOUND: no snapshot id starts with the given prefix. */
export class SnapshotNotFoundError extends DedupStoreError {
  readonly snapshotId: string;
  constructor(snapshotId: string, location: string) {
    super(
      'SNAPSHOT_NOT_FOUND',
      `no snapshot ${JSON.stringify(snapshotId)} in the dedup store at ${location}: list the snapshots to find its id (a unique prefix is enough)`,
    );
    this.snapshotId = snapshotId;
  }
}

/** AMBIGUOUS_SNAPSHOT_ID: a prefix matches more than one snapshot. */
export class AmbiguousSnapshotIdError extends DedupStoreError {
  readonly prefix: string;
  readonly candidates: string[];
  constructor(prefix: string, candidates: string[]) {
    const shown = candidates.slice(0, 5).map((id) => id.slice(0, 12));
    super(
      'AMBIGUOUS_SNAPSHOT_ID',
      `snapshot id prefix ${JSON.stringify(prefix)} matches ${candidates.length} snapshots (${shown.join(', ')}${candidates.length > 5 ? ', ...' : ''}): give more characters of the id`,
    );
    this.prefix = prefix;
    this.candidates = candidates;
  }
}

/** DAMAGED_PACK: a pack (or one blob in it) does not read back as written. */
export class DamagedPackError extends DedupStoreError {
  readonly packId: string;
  readonly blobId: string | undefined;
  constructor(packId: string, blobId: string | undefined, reason: string, options?: ErrorOptions) {
    super(
      'DAMAGED_PACK',
      `pack ${packId}${blobId ? ` blob ${blobId}` : ''} is damaged: ${reason}; run verify with readData to list every damaged blob, then delete the snapshots that need them and run gc`,
      options,
    );
    this.packId = packId;
    this.blobId = blobId;
  }
}

/** What to do about a damaged object, by the directory it is in. */
function damagedObjectFix(key: string): string {
  if (/(^|\/)snapshots\/[^/]+$/.test(key)) return 'delete that snapshot (deleteSnapshot with its id) and back up again';
  if (/(^|\/)index\/[^/]+$/.test(key)) return 'run rebuildIndex to rewrite the index from the packs';
  return 'restore it from a copy of the store';
}

/** DAMAGED_OBJECT: an index file, snapshot or key object that does not parse or whose name does not match its content. */
export class DamagedObjectError extends DedupStoreError {
  readonly key: string;
  constructor(key: string, reason: string, options?: ErrorOptions) {
    super('DAMAGED_OBJECT', `${key} in the dedup store is damaged: ${reason}; ${damagedObjectFix(key)}`, options);
    this.key = key;
  }
}

/** MISSING_CHUNK: a snapshot needs a chunk that no index lists (or whose pack is gone). */
export class MissingChunkError extends DedupStoreError {
  readonly chunkId: string;
  constructor(chunkId: string, context: string) {
    super(
      'MISSING_CHUNK',
      `${context} needs chunk ${chunkId}, which no index of the store lists: run rebuildIndex (the pack may be unindexed); if verify still reports it, that snapshot cannot be restored`,
    );
    this.chunkId = chunkId;
  }
}

/** RESTORE_MISMATCH: the restored stream's size or sha256 differs from the snapshot's. */
export class RestoreMismatchError extends DedupStoreError {
  readonly snapshotId: string;
  constructor(snapshotId: string, reason: string) {
    super(
      'RESTORE_MISMATCH',
      `restoring snapshot ${snapshotId.slice(0, 12)} produced different bytes than were backed up (${reason}): discard the output and run verify with readData`,
    );
    this.snapshotId = snapshotId;
  }
}
