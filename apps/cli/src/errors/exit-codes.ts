import { CommanderError } from 'commander';
import { CliError } from './cli-errors.js';

/** The process exit codes of every dbbackup command (see README "Exit codes"). */
export const ExitCode = {
  /** Everything asked for was done. */
  Ok: 0,
  /** Done, but with a warning or only partly (e.g. one database of several failed). */
  Warning: 1,
  /** Nothing useful was done: bad usage, bad configuration, or a failure. */
  Error: 2,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * The one place that turns an error into an exit code. Our typed errors carry their own code; commander's
 * "errors" include help and version display (exit code 0 from commander, kept as 0); anything else (a bug, an
 * error from a package) is an error.
 */
export function exitCodeForError(error: unknown): ExitCode {
  if (error instanceof CliError) return error.exitCode;
  if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Error;
  return ExitCode.Error;
}
