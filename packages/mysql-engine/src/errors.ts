/** Typed errors of the MySQL/MariaDB engine: one line, what went wrong and how to fix it. */

export class MysqlEngineError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The server could not be reached (refused, unknown host, timeout, authentication). */
export class MysqlConnectionError extends MysqlEngineError {
  constructor(
    message: string,
    readonly target: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class DatabaseNotFoundError extends MysqlEngineError {
  constructor(
    readonly database: string,
    target: string,
    options?: { cause?: unknown },
  ) {
    super(
      `database "${database}" does not exist on ${target}; list databases with SHOW DATABASES or check the name`,
      options,
    );
  }
}

export class UnsupportedServerVersionError extends MysqlEngineError {
  constructor(
    readonly version: string,
    readonly minimum: string,
  ) {
    super(`${version} is not supported; dbbackup needs ${minimum} or newer`);
  }
}

export class DatabaseExistsError extends MysqlEngineError {
  constructor(readonly database: string) {
    super(
      `database "${database}" already exists; restore into it without create and with --confirm (add --clean to drop its objects first), or choose another name`,
    );
  }
}

export class TargetNotEmptyError extends MysqlEngineError {
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

export class CleanRequiresConfirmError extends MysqlEngineError {
  constructor(readonly database: string) {
    super(`--clean drops every object in database "${database}"; pass --confirm as well to allow it`);
  }
}

/** The archive is not a single-database MySQL/MariaDB backup this engine can restore. */
export class UnsuitableArchiveError extends MysqlEngineError {}

/**
 * LOAD DATA of one member did not load exactly what the archive holds: the server reported warnings (a value was
 * truncated or converted) or loaded a different number of rows. The member's transaction was rolled back.
 */
export class DataLoadError extends MysqlEngineError {
  constructor(
    readonly table: string,
    readonly member: string,
    detail: string,
  ) {
    super(
      `loading ${member} into table ${table} was not exact: ${detail}; the target server's settings or version differ from the source's (check sql_mode, character sets, max_allowed_packet)`,
    );
  }
}

/** A restore into an existing database failed after it started changing it. */
export class IncompleteRestoreError extends MysqlEngineError {
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

export function describeCause(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
