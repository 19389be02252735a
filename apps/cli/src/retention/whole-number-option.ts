import { InvalidValueError, integerValue } from '../config/value-parsers.js';
import { UsageError } from '../errors/cli-errors.js';

/**
 * A count or a number of days on the command line: digits only, no sign, no fraction, no unit ("7", never "-1",
 * "7.5" or "7d"); `min` is the smallest accepted value.
 */
export function parseWholeNumberOption(flag: string, text: string, min = 0): number {
  try {
    return integerValue({ min })(text);
  } catch (error) {
    if (!(error instanceof InvalidValueError)) throw error;
    const expected = min === 0 ? 'a whole number of 0 or more' : `a whole number of ${min} or more`;
    throw new UsageError(`invalid ${flag} '${text}': expected ${expected}, e.g. ${flag} 7`, { cause: error });
  }
}
