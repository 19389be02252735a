/** Typed errors of the PostgreSQL engine: one line, what went wrong and how to fix it. */

export class PgEngineError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The server could not be reached (refused, unknown host, timeout, authentication). */
export class PgConnectionError extends PgEngineError {
  constructor(
    message: string,
    readonly target: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The named database does not exist. `target` is the server (host:port or socket) when known. */
export class DatabaseNotFoundError extends PgEngineError {
  constructor(
    readonly database: string,
    target?: string,
    options?: { cause?: unknown },
  ) {
    super(
      `database "${database}" does not exist on ${target ?? 'the server'}; list databases with psql -l or check the name`,
      options,
    );
  }
}

/** The server is older than PostgreSQL 12, the oldest whose catalogs the engine reads. */
export class UnsupportedServerVersionError extends PgEngineError {
  constructor(readonly versionNum: number) {
    super(`PostgreSQL ${Math.floor(versionNum / 10000)} is not supported; dbbackup needs 12 or newer`);
  }
}

export class DatabaseExistsError extends PgEngineError {
  constructor(readonly database: string) {
    super(
      `database "${database}" already exists; restore into it without create and with --confirm (add --clean to drop its objects first), or choose another name`,
    );
  }
}

export class TargetNotEmptyError extends PgEngineError {
  constructor(
    readonly database: string,
    /** User objects by kind, as targetState reports them. */
    readonly objects: Record<string, number>,
    summary: string,
  ) {
    super(
      `target database "${database}" is not empty (${summary}); pass --confirm to restore into it, with --clean to drop its objects first`,
    );
  }
}

export class CleanRequiresConfirmError extends PgEngineError {
  constructor(readonly database: string) {
    super(`--clean drops every object in database "${database}"; pass --confirm as well to allow it`);
  }
}

/** The archive is not a single-database PostgreSQL backup this engine can restore. */
export class UnsuitableArchiveError extends PgEngineError {}

/** A restore into an existing database failed after it started changing it. */
export class IncompleteRestoreError extends PgEngineError {
  constructor(
    readonly database: string,
    cause: unknown,
  ) {
    super(
      `restore into existing database "${database}" failed: ${describeCause(cause)}; the target is incomplete and must be restored again`,
      { cause },
    );
  }
}

/** turbo mode switched a table to UNLOGGED and it did not end LOGGED (should never happen; checked at the end). */
export class NotDurableError extends PgEngineError {
  constructor(readonly tables: string[]) {
    super(
      `after a turbo restore ${tables.length} tables are still UNLOGGED (${tables.slice(0, 5).join(', ')}); run ALTER TABLE ... SET LOGGED on them or restore again in safe mode`,
    );
  }
}

/**
 * The server's shared lock table is full ("out of shared memory"). It holds max_locks_per_transaction × (server
 * processes) entries for all sessions together; a backup, like pg_dump, holds a lock on every table until it ends.
 */
export class LockTableFullError extends PgEngineError {
  constructor(
    readonly operation: string,
    /** Why the operation needs that many locks at once. */
    why: string,
    /** The setting now and the size of the lock table, when known. */
    readonly capacity: { maxLocksPerTransaction: number; backends: number; slots: number } | undefined,
    /** A max_locks_per_transaction that would fit. */
    readonly suggestedMaxLocksPerTransaction: number,
    options?: { cause?: unknown },
  ) {
    const now = capacity
      ? ` (now ${capacity.maxLocksPerTransaction}: about ${capacity.slots} lock slots for ${capacity.backends} server processes)`
      : '';
    super(
      `${operation} ran out of lock slots on the server (out of shared memory): ${why}; set max_locks_per_transaction = ${suggestedMaxLocksPerTransaction} or more${now} in postgresql.conf and restart PostgreSQL`,
      options,
    );
  }
}

/** The operation's AbortSignal fired; `outcome` says what was cleaned up and what is left. */
export class OperationAbortedError extends PgEngineError {
  constructor(
    readonly operation: string,
    readonly outcome: string,
    options?: { cause?: unknown },
  ) {
    super(`${operation} was aborted; ${outcome}`, options);
  }
}

export function describeCause(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
