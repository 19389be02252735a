import type { EnginePhase, EngineProgress, ProgressCallback } from '@dbbackup/archive';

const REPORT_INTERVAL_MS = 250;

/** Accumulates progress counters and calls the app's callback at phase changes and at most every 250 ms. */
export class ProgressReporter {
  private readonly state: EngineProgress = {
    phase: 'connect',
    tablesDone: 0,
    tablesTotal: 0,
    rows: 0,
    bytes: 0,
    bytesTotal: null,
  };
  private lastReport = 0;

  constructor(private readonly callback: ProgressCallback | undefined) {}

  phase(phase: EnginePhase, totals?: { tablesTotal?: number; bytesTotal?: number | null }): void {
    this.state.phase = phase;
    if (totals?.tablesTotal !== undefined) this.state.tablesTotal = totals.tablesTotal;
    if (totals?.bytesTotal !== undefined) this.state.bytesTotal = totals.bytesTotal;
    this.emit(true);
  }

  add(rows: number, bytes: number): void {
    this.state.rows += rows;
    this.state.bytes += bytes;
    this.emit(false);
  }

  tableDone(): void {
    this.state.tablesDone++;
    this.emit(false);
  }

  /** Reports the current state now, e.g. at the end of a restore tier. */
  flush(): void {
    this.emit(true);
  }

  private emit(force: boolean): void {
    if (!this.callback) return;
    const now = Date.now();
    if (!force && now - this.lastReport < REPORT_INTERVAL_MS) return;
    this.lastReport = now;
    this.callback({ ...this.state });
  }
}
