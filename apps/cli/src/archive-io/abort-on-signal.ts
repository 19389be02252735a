/** An output being written that can be given up: deletes its .partial file (an ArchiveWriter, a SQL script file). */
export interface AbortableOutput {
  abort(error: Error): Promise<void>;
}

/** The exit status of a run stopped by Ctrl-C / SIGTERM (128 + SIGINT, what shells report for Ctrl-C). */
export const INTERRUPTED_EXIT_CODE = 130;

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
/** An abort that hangs (a stuck disk) must not keep an interrupted process alive forever. */
const ABORT_TIMEOUT_MS = 10_000;

/**
 * While a backup is being written, SIGINT/SIGTERM abort the output (which deletes the .partial file) and end the
 * process with status 130. This is the one place the CLI exits by itself: a signal arrives outside any command's
 * control flow, and the database connections must not outlive the removed file. A second signal exits at once.
 * Returns the function that removes the handlers (call it when the writer finished or failed).
 */
export function abortWriterOnSignal(writer: AbortableOutput, report: (message: string) => void): () => void {
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) process.exit(INTERRUPTED_EXIT_CODE);
    interrupted = true;
    const timer = setTimeout(() => process.exit(INTERRUPTED_EXIT_CODE), ABORT_TIMEOUT_MS);
    writer
      .abort(new Error(`interrupted by ${signal}`))
      .catch(() => undefined)
      .finally(() => {
        clearTimeout(timer);
        report(`dbbackup: interrupted by ${signal}; the unfinished backup was removed`);
        process.exit(INTERRUPTED_EXIT_CODE);
      });
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
  return () => {
    for (const signal of SIGNALS) process.off(signal, onSignal);
  };
}

/**
 * Runs an engine operation that honours an AbortSignal (restore, verify-restore): SIGINT/SIGTERM abort it, the engine
 * rolls back and drops what it created (a --create target, a temporary verify database), and the process then ends
 * with status 130 and the engine's one-line account of what is left. A second signal, or an engine that has not
 * stopped within the timeout, exits at once.
 */
export async function runAbortableOnSignal<T>(
  operation: (signal: AbortSignal) => Promise<T>,
  report: (message: string) => void,
): Promise<T> {
  const controller = new AbortController();
  let interruptedBy: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interruptedBy) process.exit(INTERRUPTED_EXIT_CODE);
    interruptedBy = signal;
    setTimeout(() => process.exit(INTERRUPTED_EXIT_CODE), ABORT_TIMEOUT_MS).unref();
    controller.abort(new Error(`interrupted by ${signal}`));
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
  try {
    return await operation(controller.signal);
  } catch (error) {
    if (interruptedBy) {
      report(`dbbackup: interrupted by ${interruptedBy}: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(INTERRUPTED_EXIT_CODE);
    }
    throw error;
  } finally {
    for (const signal of SIGNALS) process.off(signal, onSignal);
  }
}
