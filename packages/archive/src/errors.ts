/**
 * Typed errors of the archive format. Every class carries a stable `code` so callers (the CLI maps errors to exit
 * codes) never have to match message text. Messages are one line: what went wrong and what to do about it.
 */
export class ArchiveError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The archive has no manifest: the backup never finished (interrupted writer or truncated file). */
export class IncompleteBackupError extends ArchiveError {
  constructor(description: string, options?: { cause?: unknown }) {
    super(
      'INCOMPLETE_BACKUP',
      `backup ${description} is incomplete: it has no manifest (the backup was interrupted or the file is truncated); take a new backup`,
      options,
    );
  }
}

/** The stored bytes of a member differ from what the manifest recorded. */
export class ChecksumMismatchError extends ArchiveError {
  readonly member: string;
  readonly expected: string;
  readonly actual: string;

  constructor(member: string, expected: string, actual: string) {
    super(
      'CHECKSUM_MISMATCH',
      `member ${member} of the backup is damaged: its sha256 is ${actual} but the manifest records ${expected}; restore from another copy of the backup`,
    );
    this.member = member;
    this.expected = expected;
    this.actual = actual;
  }
}

/** A newer archive format version, or a file that is not a dbbackup archive at all. */
export class UnsupportedFormatError extends ArchiveError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('UNSUPPORTED_FORMAT', message, options);
  }
}

/** Anything else malformed inside an archive that claims to be a dbbackup archive. */
export class ArchiveFormatError extends ArchiveError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ARCHIVE_FORMAT', message, options);
  }
}

/** A backup (or an in-progress `.partial` of one) already exists at the target path; backups are never overwritten. */
export class ArchiveExistsError extends ArchiveError {
  readonly path: string;

  constructor(path: string, message: string) {
    super('ARCHIVE_EXISTS', message);
    this.path = path;
  }
}

/** The writer was used wrongly (after finish/abort, a reserved or duplicate member name): a bug in the caller. */
export class ArchiveWriterStateError extends ArchiveError {
  constructor(message: string) {
    super('ARCHIVE_WRITER_STATE', message);
  }
}

export function unsupportedVersionError(version: number, supported: number): UnsupportedFormatError {
  return new UnsupportedFormatError(
    `this backup uses archive format ${version} but this dbbackup reads up to ${supported}; upgrade dbbackup`,
  );
}
