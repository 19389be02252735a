import type { StoragePoint } from '@dbbackup/retention';

/** One row of the storage table: the state at the end of a period, and its peak within it. */
export interface StorageRow {
  /** The period's end: the time of its last point. */
  at: string;
  backups: number;
  bytes: number;
  peak_backups: number;
  peak_bytes: number;
}

const HOUR = 3_600_000;
const STEPS = [HOUR, 6 * HOUR, 24 * HOUR, 7 * 24 * HOUR, 30 * 24 * HOUR, 365 * 24 * HOUR];

/**
 * Storage after each backup, folded into at most about `maxRows` periods of an hour, 6 hours, a day, a week, 30 days
 * or a year (the smallest that fits), so a year of hourly backups is a screenful rather than 8760 lines.
 */
export function compactStorageTimeline(points: readonly StoragePoint[], maxRows = 40): StorageRow[] {
  if (points.length === 0) return [];
  const first = points[0]!.at.getTime();
  const span = points.at(-1)!.at.getTime() - first;
  const step = STEPS.find((candidate) => span / candidate < maxRows) ?? STEPS.at(-1)!;
  const rows = new Map<number, StorageRow>();
  for (const point of points) {
    const period = Math.floor((point.at.getTime() - first) / step);
    const row = rows.get(period);
    rows.set(period, {
      at: point.at.toISOString(),
      backups: point.backups,
      bytes: point.bytes,
      peak_backups: Math.max(row?.peak_backups ?? 0, point.backups),
      peak_bytes: Math.max(row?.peak_bytes ?? 0, point.bytes),
    });
  }
  return [...rows.values()];
}
