/**
 * Errors of the catalog. Each message is one actionable line: what went wrong and how to fix it. `code` is stable,
 * so callers can branch on it instead of on message text.
 */
export class CatalogError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The catalog file (or its directory) cannot be created, opened or migrated. */
export class CatalogOpenError extends CatalogError {
  readonly path: string;
  constructor(path: string, reason: string, options?: ErrorOptions) {
    super(
      'CATALOG_OPEN',
      `cannot open the backup catalog ${path}: ${reason}; fix the file's permissions or directory, or choose another file with --catalog PATH`,
      options,
    );
    this.path = path;
  }
}

/** The catalog file was written by a newer dbbackup (it has migrations this version does not know). */
export class CatalogVersionError extends CatalogError {
  readonly path: string;
  constructor(path: string, unknownMigrations: readonly string[]) {
    super(
      'CATALOG_VERSION',
      `the backup catalog ${path} was written by a newer dbbackup (schema ${unknownMigrations.join(', ')}); upgrade dbbackup, or use another file with --catalog PATH`,
    );
    this.path = path;
  }
}

/** A duration such as '26h', '7d' or '1d12h' could not be read. */
export class InvalidDurationError extends CatalogError {
  constructor(text: string) {
    super(
      'INVALID_DURATION',
      `invalid duration '${text}': expected a number and a unit, e.g. 90m, 26h, 7d or 1d12h (units: ms, s, m, h, d, w)`,
    );
  }
}

/** A time given to the catalog is not a valid ISO 8601 date/time. */
export class InvalidTimeError extends CatalogError {
  constructor(field: string, value: string) {
    super('INVALID_TIME', `invalid ${field} '${value}': expected an ISO 8601 date/time such as 2026-11-23T22:15:00Z`);
  }
}

/** finish/fail/recordVerification named a record the catalog does not have. */
export class CatalogRecordNotFoundError extends CatalogError {
  constructor(what: 'backup' | 'restore', id: number) {
    super(
      'RECORD_NOT_FOUND',
      `the catalog has no ${what} with id ${id}; it may have been removed, run dbbackup catalog list to see the ids`,
    );
  }
}

/** The catalog rejected a write (a second backup at the same location, a bad parent id, ...). */
export class CatalogWriteError extends CatalogError {
  constructor(message: string, options?: ErrorOptions) {
    super('CATALOG_WRITE', message, options);
  }
}
