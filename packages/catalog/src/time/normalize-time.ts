import { InvalidTimeError } from '../errors.js';

/**
 * The catalog's one time format: `Date.prototype.toISOString()` (UTC, milliseconds, 'Z'), so that comparing the
 * stored text compares the instants. Accepts any ISO 8601 date/time with a zone (or a date alone, read as UTC).
 */
export function normalizeTime(field: string, value: string): string {
  const time = Date.parse(value);
  if (!ISO_PATTERN.test(value.trim()) || Number.isNaN(time)) throw new InvalidTimeError(field, value);
  return new Date(time).toISOString();
}

/** Milliseconds between two normalised times. */
export function millisecondsBetween(from: string, to: string): number {
  return Date.parse(to) - Date.parse(from);
}

// A date, optionally a time with a zone: Date.parse alone also takes "March 7" and local times without a zone.
const ISO_PATTERN = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2}))?$/i;
