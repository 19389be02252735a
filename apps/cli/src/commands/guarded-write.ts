import { type AbortableOutput, abortWriterOnSignal, runAbortableOnSignal } from '../archive-io/abort-on-signal.js';
import type { CommandContext } from '../cli/command-context.js';

/**
 * Runs `work` while `output` (an archive or a SQL script file) is being written: Ctrl-C/SIGTERM abort it (exit
 * 130), so does any error, and either way its .partial file is removed. The progress line ends with it.
 */
export async function writeGuarded<T>(
  context: CommandContext,
  output: AbortableOutput,
  work: () => Promise<T>,
): Promise<T> {
  const removeSignalHandlers = abortWriterOnSignal(output, (message) => {
    context.progress.stop();
    context.logger.info(message);
  });
  try {
    return await work();
  } catch (error) {
    // Engines abort on their own errors; this covers anything that failed around them. abort() is idempotent.
    await output.abort(error as Error).catch(() => undefined);
    throw error;
  } finally {
    removeSignalHandlers();
    context.progress.stop();
  }
}

/**
 * Runs an engine operation that takes an AbortSignal (restore, verify-restore): Ctrl-C/SIGTERM abort it, the engine
 * cleans up (drops a database it created) and the process exits 130 with the engine's account of what is left.
 */
export function runInterruptible<T>(
  context: CommandContext,
  operation: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  return runAbortableOnSignal(operation, (message) => {
    context.progress.stop();
    context.logger.info(message);
  });
}
