import { formatBytes } from '@dbbackup/pipeline';
import type { CommandContext } from '../cli/command-context.js';

const REDRAW_INTERVAL_MS = 200;

/**
 * The progress line of a dedup operation, redrawn at most five times a second (the store reports after every
 * chunk). Silent unless stderr is a terminal and the format is not json; the line is built only when drawn.
 */
export interface DedupProgress {
  update(render: (elapsedSeconds: number) => string): void;
  stop(): void;
}

export function dedupProgress(context: CommandContext): DedupProgress {
  const started = performance.now();
  let drawnAt = 0;
  return {
    update(render) {
      if (!context.progress.enabled) return;
      const now = performance.now();
      if (now - drawnAt < REDRAW_INTERVAL_MS) return;
      drawnAt = now;
      context.progress.update(render(Math.max((now - started) / 1000, 0.001)));
    },
    stop: () => context.progress.stop(),
  };
}

/** `120 MB / 500 MB  58 MB/s` (without a total when it is unknown, e.g. stdin). */
export function bytesProgress(bytes: number, total: number | null, elapsedSeconds: number): string {
  const amount = total === null ? formatBytes(bytes) : `${formatBytes(bytes)} / ${formatBytes(total)}`;
  return `${amount}  ${formatBytes(bytes / elapsedSeconds)}/s`;
}
