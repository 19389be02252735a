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

export class DatabaseNotFoundError extends PgEngineError {
  constructor(
    readonly database: string,
    target: string,
    options?: { cause?: unknown },
  ) {
    super(`database "${database}" does not exist on ${target}; list databases with psql -l or check the name`, options);
  }
}

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
    readonly tables: number,
    readonly objects: number,
  ) {
    const what = tables > 0 ? `${tables} tables` : `${objects} objects`;
    super(
      `target database "${database}" is not empty (${what}); pass --confirm to restore into it, with --clean to drop its objects first`,
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

export function describeCause(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
