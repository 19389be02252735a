import { InvalidDurationError } from '../errors.js';

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/gy;

/**
 * '26h', '90m', '7d', '1d12h', '45s', '500ms', '2w' → milliseconds. Parts may be combined (largest first or not) and
 * may have decimals ('1.5h'). The result must be positive. Throws InvalidDurationError otherwise.
 */
export function parseDuration(text: string): number {
  const input = text.trim().toLowerCase();
  if (input === '') throw new InvalidDurationError(text);
  PART.lastIndex = 0;
  let total = 0;
  let position = 0;
  for (let match = PART.exec(input); match !== null; match = PART.exec(input)) {
    total += Number(match[1]) * UNIT_MS[match[2]!]!;
    position = PART.lastIndex;
  }
  if (position !== input.length || !(total > 0) || !Number.isFinite(total)) throw new InvalidDurationError(text);
  return Math.round(total);
}
