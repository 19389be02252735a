import { formatBytes } from '@dbbackup/pipeline';
import type { CommandContext } from '../cli/command-context.js';

/** Progress of one upload or download, fed with byte counts; silent unless stderr is a terminal (never with JSON). */
export interface TransferProgress {
  /** Bytes transferred so far (a running total). */
  update(bytes: number): void;
  stop(): void;
}

const REDRAW_INTERVAL_MS = 200;

/** `upload shop.dbb.tar  12.3 MB / 40.1 MB  8.2 MB/s`, redrawn at most five times a second. */
export function transferProgress(
  context: CommandContext,
  verb: string,
  name: string,
  totalBytes: number | null,
): TransferProgress {
  const started = performance.now();
  let drawnAt = 0;
  return {
    update(bytes) {
      if (!context.progress.enabled) return;
      const now = performance.now();
      if (now - drawnAt < REDRAW_INTERVAL_MS) return;
      drawnAt = now;
      const seconds = Math.max((now - started) / 1000, 0.001);
      const amount = totalBytes === null ? formatBytes(bytes) : `${formatBytes(bytes)} / ${formatBytes(totalBytes)}`;
      context.progress.update(`${verb} ${name}  ${amount}  ${formatBytes(bytes / seconds)}/s`);
    },
    stop: () => context.progress.stop(),
  };
}
