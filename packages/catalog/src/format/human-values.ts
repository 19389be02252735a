import { formatBytes } from '@dbbackup/pipeline';

/** 850 ms, 12.3 s, 4m 05s, 1h 02m, 3d 4h: short enough for a table cell. */
export function formatElapsed(milliseconds: number): string {
  if (milliseconds < 1000) return `${Math.round(milliseconds)} ms`;
  const seconds = milliseconds / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const totalSeconds = Math.round(seconds);
  const days = Math.floor(totalSeconds / 86_400);
  const hours = Math.floor((totalSeconds % 86_400) / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const rest = totalSeconds % 60;
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${String(minutes).padStart(2, '0')}m`;
  return `${minutes}m ${String(rest).padStart(2, '0')}s`;
}

/** 1.2 GB (decimal units, as the CLI's progress lines). */
export function formatSize(bytes: number | null): string {
  return bytes === null ? '' : formatBytes(bytes);
}

/** 93.8% (one decimal), or '' when there is no rate. */
export function formatPercent(rate: number | null): string {
  return rate === null ? '' : `${(rate * 100).toFixed(1)}%`;
}
