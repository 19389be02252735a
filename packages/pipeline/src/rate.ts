import { InvalidRateError } from './errors.js';

const SI_PREFIX: Record<string, number> = { '': 1, k: 1e3, m: 1e6, g: 1e9, t: 1e12 };
const IEC_PREFIX: Record<string, number> = { k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };

// number, optional space, optional prefix (k M G T, with i for powers of 1024), optional B, optional /s or /sec.
const RATE_PATTERN = /^(\d+(?:\.\d+)?|\.\d+)\s*(?:([kmgt])(i?))?b?(?:\s*\/\s*s(?:ec)?)?$/i;

/**
 * Parses a transfer rate into bytes per second: '10MB/s' → 10_000_000, '512KiB/s' → 524_288, '1.5GB/s',
 * '100M', '800k', '2048' (bare number = bytes/s). SI prefixes are powers of 1000, IEC (KiB, MiB) of 1024.
 * Units are case-insensitive and always mean bytes, never bits. Throws InvalidRateError.
 */
export function parseRate(text: string): number {
  const match = RATE_PATTERN.exec(text.trim());
  const fail = (why: string): never => {
    throw new InvalidRateError(
      `invalid rate ${JSON.stringify(text)}: ${why}; expected a number of bytes per second such as ` +
        `'10MB/s', '512KiB/s', '1.5GB/s', '800k' or '2048'`,
    );
  };
  if (!match) return fail('not a number with an optional unit');
  const [, digits, prefix = '', binary = ''] = match;
  const scale = binary ? IEC_PREFIX[prefix.toLowerCase()] : SI_PREFIX[prefix.toLowerCase()];
  const bytesPerSecond = Math.round(Number(digits) * scale!);
  if (!(bytesPerSecond >= 1)) return fail('the rate must be at least 1 byte per second');
  if (!Number.isSafeInteger(bytesPerSecond)) return fail('the rate is too large');
  return bytesPerSecond;
}
