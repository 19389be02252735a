import { describe, expect, it } from 'vitest';
import { createProgressTap, type ProgressSnapshot, ProgressTracker } from '../src/progress.js';
import { formatBytes, formatCount, formatDuration, renderProgressLine } from '../src/progress-line.js';
import { randomData, runThrough } from './support.js';

describe('ProgressTracker', () => {
  it('counts bytes, rows and tables', () => {
    const tracker = new ProgressTracker({ totalBytes: 1000, tablesTotal: 3 });
    tracker.addBytes(250);
    tracker.addRows(10);
    tracker.addRows(5);
    tracker.tableDone();
    const s = tracker.snapshot();
    expect(s).toMatchObject({ bytes: 250, rows: 15, tablesDone: 1, tablesTotal: 3, totalBytes: 1000 });
    expect(s.bytesPerSecond).toBeGreaterThan(0);
    // ETA = remaining / average rate
    expect(s.etaSeconds).toBeCloseTo((750 / s.bytesPerSecond) * 1, 1);
  });

  it('has no ETA without a total, and takes totals later', () => {
    const tracker = new ProgressTracker();
    tracker.addBytes(100);
    expect(tracker.snapshot().etaSeconds).toBeNull();
    expect(tracker.snapshot().totalBytes).toBeNull();
    tracker.setTotals({ totalBytes: 400, tablesTotal: 2 });
    expect(tracker.snapshot()).toMatchObject({ totalBytes: 400, tablesTotal: 2 });
    expect(tracker.snapshot().etaSeconds).not.toBeNull();
  });

  it("throttles 'progress' events to one per interval", () => {
    const tracker = new ProgressTracker({ intervalMs: 60_000 });
    const events: ProgressSnapshot[] = [];
    tracker.on('progress', (s) => events.push(s));
    for (let i = 0; i < 1000; i++) tracker.addBytes(10);
    expect(events).toHaveLength(1);
    expect(events[0]!.bytes).toBe(10);
    tracker.emitNow();
    expect(events).toHaveLength(2);
    expect(events[1]!.bytes).toBe(10_000);
  });

  it('emits on every call with a zero interval', () => {
    const tracker = new ProgressTracker({ intervalMs: 0 });
    let count = 0;
    tracker.on('progress', () => count++);
    tracker.addBytes(1);
    tracker.addRows(1);
    tracker.tableDone();
    expect(count).toBe(3);
  });

  it('createProgressTap counts the bytes passing through', async () => {
    const tracker = new ProgressTracker();
    const data = randomData(777_777);
    const out = await runThrough(data, [1000, 65536], createProgressTap(tracker));
    expect(out.equals(data)).toBe(true);
    expect(tracker.snapshot().bytes).toBe(777_777);
  });
});

describe('rendering', () => {
  it('renders the full line', () => {
    const line = renderProgressLine({
      bytes: 1_200_000_000,
      rows: 3_100_000,
      tablesDone: 12,
      tablesTotal: 40,
      elapsedMs: 14_000,
      bytesPerSecond: 85_300_000,
      etaSeconds: 33,
      totalBytes: 4_000_000_000,
    });
    expect(line).toBe('12/40 tables  3.1M rows  1.2 GB / 4.0 GB  85.3 MB/s  ETA 0:33');
  });

  it('leaves out what is unknown', () => {
    const line = renderProgressLine({
      bytes: 512,
      rows: 7,
      tablesDone: 0,
      tablesTotal: 0,
      elapsedMs: 1000,
      bytesPerSecond: 512,
      etaSeconds: null,
      totalBytes: null,
    });
    expect(line).toBe('7 rows  512 B  512 B/s');
  });

  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1000, '1.0 kB'],
    [1234, '1.2 kB'],
    [999_949, '999.9 kB'],
    [999_999, '1.0 MB'],
    [85_300_000, '85.3 MB'],
    [4e9, '4.0 GB'],
    [1.5e12, '1.5 TB'],
  ])('formatBytes(%d) = %s', (n, text) => {
    expect(formatBytes(n)).toBe(text);
  });

  it.each([
    [0, '0'],
    [950, '950'],
    [12_300, '12.3k'],
    [3_100_000, '3.1M'],
    [1_200_000_000, '1.2B'],
  ])('formatCount(%d) = %s', (n, text) => {
    expect(formatCount(n)).toBe(text);
  });

  it.each([
    [0, '0:00'],
    [33, '0:33'],
    [725, '12:05'],
    [3723, '1:02:03'],
  ])('formatDuration(%d) = %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});
