/**
 * Typed errors of the command line. Each message is one actionable line (what went wrong + how to fix it); the
 * top-level handler prints it as `dbbackup: <message>` and exits with the error's exit code.
 */

/** Base class: an error whose exit code is decided by whoever throws it. */
export class CliError extends Error {
  readonly exitCode: 0 | 1 | 2;
  constructor(message: string, exitCode: 0 | 1 | 2, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}

/** The command line is wrong: an unknown or malformed value, a missing argument. Exit 2. */
export class UsageError extends CliError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, 2, options);
  }
}

/** A setting from a flag, the environment or `.dbbackup.conf` is invalid, or the file cannot be read. Exit 2. */
export class ConfigError extends UsageError {}

/** Where dbbackup takes passwords from (never from flags or files it writes). */
export const PASSWORD_SOURCES =
  'set PGPASSWORD or use ~/.pgpass for PostgreSQL, MYSQL_PWD or an option file for MySQL/MariaDB';

/** A password was passed on the command line, where `ps` and shell history would show it. Exit 2. */
export class PasswordArgumentError extends UsageError {
  constructor() {
    super(`--password is not accepted (it would show in the process list and shell history); ${PASSWORD_SOURCES}`);
  }
}

/**
 * The command finished and reported its result, but part of the work failed or needs attention (e.g. one
 * database of a cluster was skipped). Throw it after rendering the result. Exit 1.
 */
export class PartialFailureError extends CliError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, 1, options);
  }
}
