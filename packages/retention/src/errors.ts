/**
 * Errors of the retention library. Each message is one actionable line: what went wrong and how to fix it. `code` is
 * stable, so callers can branch on it instead of on message text.
 */
export class RetentionError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A policy with a negative, fractional or non-finite number, or an unknown kind. */
export class RetentionPolicyError extends RetentionError {
  /** The policy field at fault, e.g. "minBackups". */
  readonly field: string;
  constructor(field: string, message: string) {
    super('RETENTION_POLICY', message);
    this.field = field;
  }
}

/** A backup, a `now` or a schedule that retention cannot work with (an unparsable timestamp, an empty interval). */
export class RetentionInputError extends RetentionError {
  constructor(message: string) {
    super('RETENTION_INPUT', message);
  }
}

/** A line of a timestamp list that is not an ISO-8601 instant. */
export class BackupTimestampParseError extends RetentionError {
  /** 1-based line number in the parsed text. */
  readonly lineNumber: number;
  readonly line: string;
  constructor(lineNumber: number, line: string, reason: string) {
    super('RETENTION_TIMESTAMP_PARSE', `line ${lineNumber}: ${JSON.stringify(line)} ${reason}`);
    this.lineNumber = lineNumber;
    this.line = line;
  }
}
