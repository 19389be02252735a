import type { StderrWriter } from './stderr-writer.js';

/**
 * One progress line on stderr, rewritten in place with '\r'. Enabled only when stderr is a terminal and the
 * output format is not json; otherwise update() and stop() do nothing, so commands call them unconditionally.
 * Feed it e.g. pipeline's renderProgressLine(snapshot) from a ProgressTracker 'progress' event.
 */
export interface ProgressReporter {
  readonly enabled: boolean;
  update(line: string): void;
  /** Removes the line (call when the work ends, before printing the result). */
  stop(): void;
}

export function createProgressReporter(writer: StderrWriter, options: { enabled: boolean }): ProgressReporter {
  return {
    enabled: options.enabled,
    update: (line) => {
      if (options.enabled) writer.status(line);
    },
    stop: () => writer.clearStatus(),
  };
}
