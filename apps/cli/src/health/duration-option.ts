import { parseDuration } from '@dbbackup/catalog';
import { UsageError } from '../errors/cli-errors.js';

/** A duration flag (`--max-age 26h`) in milliseconds, read with the catalog's parseDuration; else a UsageError. */
export function parseDurationOption(flag: string, text: string): number {
  try {
    return parseDuration(text);
  } catch (error) {
    throw new UsageError(
      `invalid ${flag} '${text}': expected a positive duration such as 90m, 26h, 7d or 1d12h (units: ms, s, m, h, d, w)`,
      { cause: error },
    );
  }
}
