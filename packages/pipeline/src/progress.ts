import { EventEmitter } from 'node:events';
import { Transform, type TransformCallback } from 'node:stream';
import { STREAM_HIGH_WATER_MARK } from './stream-sizes.js';

export interface ProgressSnapshot {
  bytes: number;
  rows: number;
  tablesDone: number;
  tablesTotal: number;
  elapsedMs: number;
  /** Average over the whole run so far. */
  bytesPerSecond: number;
  /** Seconds left at the average rate; null while the total or the rate is unknown. */
  etaSeconds: number | null;
  totalBytes: number | null;
}

export interface ProgressTrackerOptions {
  totalBytes?: number;
  tablesTotal?: number;
  /** Least time between two 'progress' events; default 500 ms. */
  intervalMs?: number;
}

export interface ProgressTrackerEvents {
  progress: [ProgressSnapshot];
}

/**
 * Counts bytes, rows and finished tables of a running backup or restore, and emits 'progress' with a snapshot at
 * most once per intervalMs, driven by the counting calls themselves (no timer keeps the process alive).
 */
export class ProgressTracker extends EventEmitter<ProgressTrackerEvents> {
  private bytes = 0;
  private rows = 0;
  private tablesDone = 0;
  private tablesTotal: number;
  private totalBytes: number | null;
  private readonly intervalMs: number;
  private readonly startedAt = performance.now();
  private lastEmitAt = Number.NEGATIVE_INFINITY;

  constructor(options: ProgressTrackerOptions = {}) {
    super();
    this.totalBytes = options.totalBytes ?? null;
    this.tablesTotal = options.tablesTotal ?? 0;
    this.intervalMs = options.intervalMs ?? 500;
  }

  addBytes(n: number): void {
    this.bytes += n;
    this.maybeEmit();
  }

  addRows(n: number): void {
    this.rows += n;
    this.maybeEmit();
  }

  tableDone(): void {
    this.tablesDone++;
    this.maybeEmit();
  }

  /** Totals often become known after the run starts (after estimating the database); set them then. */
  setTotals(totals: { totalBytes?: number; tablesTotal?: number }): void {
    if (totals.totalBytes !== undefined) this.totalBytes = totals.totalBytes;
    if (totals.tablesTotal !== undefined) this.tablesTotal = totals.tablesTotal;
  }

  /** Emits 'progress' now regardless of the interval, e.g. a final 100% line when the run ends. */
  emitNow(): void {
    this.lastEmitAt = performance.now();
    this.emit('progress', this.snapshot());
  }

  snapshot(): ProgressSnapshot {
    const elapsedMs = performance.now() - this.startedAt;
    const bytesPerSecond = elapsedMs > 0 ? this.bytes / (elapsedMs / 1000) : 0;
    const etaSeconds =
      this.totalBytes !== null && bytesPerSecond > 0
        ? Math.max(0, (this.totalBytes - this.bytes) / bytesPerSecond)
        : null;
    return {
      bytes: this.bytes,
      rows: this.rows,
      tablesDone: this.tablesDone,
      tablesTotal: this.tablesTotal,
      elapsedMs,
      bytesPerSecond,
      etaSeconds,
      totalBytes: this.totalBytes,
    };
  }

  private maybeEmit(): void {
    if (this.listenerCount('progress') === 0) return;
    if (performance.now() - this.lastEmitAt < this.intervalMs) return;
    this.emitNow();
  }
}

/** Pass-through stage that adds every byte flowing through it to `tracker`. */
export function createProgressTap(tracker: ProgressTracker): Transform {
  return new Transform({
    readableHighWaterMark: STREAM_HIGH_WATER_MARK,
    writableHighWaterMark: STREAM_HIGH_WATER_MARK,
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      tracker.addBytes(chunk.length);
      callback(null, chunk);
    },
  });
}
