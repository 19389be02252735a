import type { BackupRecord } from '../types.js';
import { EXPORT_COLUMNS } from './backup-columns.js';

/**
 * RFC 4180 CSV: a header row, CRLF line ends, a field quoted (quotes doubled) when it holds a comma, quote, CR or
 * LF, or starts or ends with a space. Times are ISO 8601 UTC; unknown values are empty fields.
 */
export function renderBackupsCsv(records: readonly BackupRecord[]): string {
  const lines = [EXPORT_COLUMNS.map((column) => csvField(column.name))];
  for (const record of records) lines.push(EXPORT_COLUMNS.map((column) => csvField(column.value(record))));
  return lines.map((fields) => `${fields.join(',')}\r\n`).join('');
}

export function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
