import { InvalidDurationError, InvalidTimeError, normalizeTime, parseDuration } from '@dbbackup/catalog';
import { UsageError } from '../../errors/cli-errors.js';

/**
 * A point in time on the command line: an ISO date or date/time (a time without a zone is UTC, as the catalog shows
 * every time in UTC), or a duration ago: `7d` means now - 7 days.
 */
export function parseTimeArgument(flag: string, text: string, now: Date): string {
  if (/^\d+(?:\.\d+)?(?:ms|s|m|h|d|w)/i.test(text.trim())) {
    try {
      return new Date(now.getTime() - parseDuration(text)).toISOString();
    } catch (error) {
      if (!(error instanceof InvalidDurationError)) throw error;
    }
  }
  const withZone = /T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/i.test(text.trim()) ? `${text.trim()}Z` : text;
  try {
    return normalizeTime(flag, withZone);
  } catch (error) {
    if (!(error instanceof InvalidTimeError)) throw error;
    throw new UsageError(
      `invalid ${flag} '${text}': expected an ISO date or date/time (2026-11-23, 2026-11-23T22:15:00Z) or a duration ago (7d, 12h, 90m)`,
    );
  }
}

/** --interval and similar: a duration such as 24h, 26h, 7d, 1d12h. */
export function parseDurationArgument(flag: string, text: string): number {
  try {
    return parseDuration(text);
  } catch (error) {
    if (!(error instanceof InvalidDurationError)) throw error;
    throw new UsageError(`invalid ${flag} '${text}': expected a duration such as 24h, 26h, 90m, 7d or 1d12h`);
  }
}
