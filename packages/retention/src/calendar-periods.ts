/**
 * The UTC calendar periods that GFS buckets backups into. Keys sort like the periods they name, and double as the
 * human label in reasons ("2026-11-23", "2026-W47", "2026-11", "2026").
 */

const DAY_MS = 86_400_000;

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

export function utcDayKey(time: number): string {
  const date = new Date(time);
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`;
}

export function utcMonthKey(time: number): string {
  const date = new Date(time);
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}`;
}

export function utcYearKey(time: number): string {
  return pad(new Date(time).getUTCFullYear(), 4);
}

/**
 * ISO-8601 week in UTC, e.g. "2020-W53". Weeks start on Monday and belong to the week-numbering year that holds their
 * Thursday, so 2021-01-03 is 2020-W53 and 2024-12-30 is 2025-W01 (the same rule as Go's time.ISOWeek, used by restic).
 */
export function isoWeekKey(time: number): string {
  const date = new Date(time);
  const midnight = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  const mondayBasedWeekday = (date.getUTCDay() + 6) % 7;
  const thursday = midnight + (3 - mondayBasedWeekday) * DAY_MS;
  const weekYear = new Date(thursday).getUTCFullYear();
  const week = 1 + Math.floor((thursday - Date.UTC(weekYear, 0, 1)) / (7 * DAY_MS));
  return `${pad(weekYear, 4)}-W${pad(week, 2)}`;
}
