import { BackupTimestampParseError } from './errors.js';

/** A date, optionally with a time; a time needs Z or an offset so nothing depends on the machine's time zone. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2}))?$/i;
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;

/**
 * One ISO-8601 timestamp per line ("2026-11-23T02:00:00Z", "2026-11-23T03:00:00+01:00", or a bare date, read as UTC
 * midnight); blank lines and lines starting with # are ignored. Returns the dates in file order. Throws
 * BackupTimestampParseError naming the first bad line.
 */
export function parseBackupTimestamps(text: string): Date[] {
  const dates: Date[] = [];
  text.split(/\r?\n/).forEach((rawLine, index) => {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) return;
    if (LOCAL_DATE_TIME.test(line)) {
      throw new BackupTimestampParseError(
        index + 1,
        line,
        'has no time zone; append Z for UTC or an offset like +02:00',
      );
    }
    const time = ISO_INSTANT.test(line) ? Date.parse(line.replace(' ', 'T')) : Number.NaN;
    if (Number.isNaN(time)) {
      throw new BackupTimestampParseError(
        index + 1,
        line,
        'is not an ISO-8601 timestamp; write one per line like 2026-11-23T02:00:00Z',
      );
    }
    dates.push(new Date(time));
  });
  return dates;
}
