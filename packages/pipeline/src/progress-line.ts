import type { ProgressSnapshot } from './progress.js';

const BYTE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'] as const;

/** Decimal (SI) units, one decimal place above bytes: 0 B, 999 B, 1.2 kB, 85.3 MB, 4.0 GB. */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return `${n} B`;
  let value = n;
  let unit = 0;
  while (value >= 999.95 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(1)} ${BYTE_UNITS[unit]}`;
}

/** 950, 12.3k, 3.1M, 1.2B: row counts in a fixed-width-ish form. */
export function formatCount(n: number): string {
  if (n < 1000) return String(Math.round(n));
  const units = ['k', 'M', 'B', 'T'] as const;
  let value = n;
  let unit = -1;
  while (value >= 999.95 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(1)}${units[unit]}`;
}

/** 0:33, 12:05, 1:02:03. */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const secs = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${secs}` : `${minutes}:${secs}`;
}

/**
 * One terminal line, e.g. `12/40 tables  3.1M rows  1.2 GB / 4.0 GB  85.3 MB/s  ETA 0:33`. Parts whose numbers
 * are unknown (no table total, no byte total, no ETA yet) are left out.
 */
export function renderProgressLine(s: ProgressSnapshot): string {
  const parts: string[] = [];
  if (s.tablesTotal > 0) parts.push(`${s.tablesDone}/${s.tablesTotal} tables`);
  else if (s.tablesDone > 0) parts.push(`${s.tablesDone} tables`);
  parts.push(`${formatCount(s.rows)} rows`);
  parts.push(s.totalBytes !== null ? `${formatBytes(s.bytes)} / ${formatBytes(s.totalBytes)}` : formatBytes(s.bytes));
  parts.push(`${formatBytes(s.bytesPerSecond)}/s`);
  if (s.etaSeconds !== null) parts.push(`ETA ${formatDuration(s.etaSeconds)}`);
  return parts.join('  ');
}
