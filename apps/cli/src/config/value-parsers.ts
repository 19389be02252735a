import { parseRate } from '@dbbackup/pipeline';

/**
 * Parsers for setting values. They throw InvalidValueError whose message is only the expectation
 * ("expected an integer from 1 to 65535"); the caller adds where the value came from.
 */
export class InvalidValueError extends Error {}

export type ValueParser<T> = (raw: string) => T;

export function textValue(raw: string): string {
  if (raw.trim() === '') throw new InvalidValueError('expected a non-empty value');
  return raw;
}

/** '50MB/s', '512KiB/s' (pipeline's parseRate) as bytes per second. */
export function rateValue(raw: string): number {
  try {
    return parseRate(raw.trim());
  } catch {
    throw new InvalidValueError('expected a rate such as 50MB/s or 512KiB/s');
  }
}

export function choiceValue<T extends string>(choices: readonly T[]): ValueParser<T> {
  return (raw) => {
    const match = choices.find((choice) => choice === raw.trim().toLowerCase());
    if (match === undefined) throw new InvalidValueError(`expected one of ${choices.join(', ')}`);
    return match;
  };
}

export function integerValue(range: { min?: number; max?: number }): ValueParser<number> {
  const expectation = describeIntegerRange(range);
  return (raw) => {
    const text = raw.trim();
    if (!/^[+-]?\d+$/.test(text)) throw new InvalidValueError(`expected ${expectation}`);
    const value = Number(text);
    const tooSmall = range.min !== undefined && value < range.min;
    const tooLarge = range.max !== undefined && value > range.max;
    if (!Number.isSafeInteger(value) || tooSmall || tooLarge) throw new InvalidValueError(`expected ${expectation}`);
    return value;
  };
}

export function describeIntegerRange(range: { min?: number; max?: number }): string {
  if (range.min !== undefined && range.max !== undefined) return `an integer from ${range.min} to ${range.max}`;
  if (range.min === 1) return 'a positive integer';
  if (range.min !== undefined) return `an integer of at least ${range.min}`;
  if (range.max !== undefined) return `an integer of at most ${range.max}`;
  return 'an integer';
}

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'off']);

export function booleanValue(raw: string): boolean {
  const word = raw.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  throw new InvalidValueError('expected true or false (also yes/no, on/off, 1/0)');
}
