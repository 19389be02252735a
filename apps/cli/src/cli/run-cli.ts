import { booleanValue } from '../config/value-parsers.js';
import { PasswordArgumentError } from '../errors/cli-errors.js';
import { ExitCode, exitCodeForError } from '../errors/exit-codes.js';
import { formatErrorReport } from '../errors/report-error.js';
import type { CliRuntime } from './cli-runtime.js';
import { CliSession } from './cli-session.js';
import { createProgram } from './create-program.js';
import { hasPasswordArgument, valueTakingShortFlags } from './refuse-password-arguments.js';

/**
 * Runs one dbbackup invocation and returns its exit code. This is the single top-level error handler: commands
 * throw, and here each error becomes one line `dbbackup: <message>` on stderr (plus stack and causes with
 * --debug) and an exit code (exitCodeForError). `argv` excludes node and the script path.
 */
export async function runCli(argv: readonly string[], runtime: CliRuntime): Promise<ExitCode> {
  const session = new CliSession(runtime);
  try {
    const program = createProgram(session);
    // Before commander sees argv: its "unknown option" error would print the password.
    if (hasPasswordArgument(argv, valueTakingShortFlags(program))) throw new PasswordArgumentError();
    await program.parseAsync([...argv], { from: 'user' });
    return ExitCode.Ok;
  } catch (error) {
    session.stderr.clearStatus();
    const report = formatErrorReport(error, session.debug ?? debugRequested(argv, runtime));
    if (report !== '') runtime.stderr.write(report);
    return exitCodeForError(error);
  }
}

// The error may come before the configuration was resolved (e.g. a parse error): look for --debug directly.
function debugRequested(argv: readonly string[], runtime: CliRuntime): boolean {
  if (argv.includes('--debug')) return true;
  try {
    return booleanValue(runtime.env['DBBACKUP_DEBUG'] ?? 'false');
  } catch {
    return false;
  }
}
