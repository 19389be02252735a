import { CliError } from '../errors/cli-errors.js';

/**
 * `dbbackup health` found a warning (exit 1) or a critical problem (exit 2). Thrown after the checks were printed,
 * so the exit code reaches monitoring through the CLI's one error handler; the message is the summary line.
 */
export class UnhealthyError extends CliError {
  constructor(summary: string, exitCode: 1 | 2) {
    super(summary, exitCode);
  }
}
