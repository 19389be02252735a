import { UsageError } from '../errors/cli-errors.js';

const SI: Record<string, number> = { '': 1, k: 1e3, m: 1e6, g: 1e9, t: 1e12, p: 1e15 };
const IEC: Record<string, number> = { k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40, p: 2 ** 50 };

// A number, an optional space, an optional prefix (with i for powers of 1024), an optional B: 2GB, 1.5 TiB, 700M.
const SIZE_PATTERN = /^(\d+(?:\.\d+)?|\.\d+)\s*(?:([kmgtp])(i?))?b?$/i;

/**
 * A size on the command line in bytes: '2GB' → 2_000_000_000, '512MiB' → 536_870_912, '700M', '4096' (bytes).
 * SI prefixes are powers of 1000 (as formatBytes prints them), IEC (KiB, MiB) of 1024; never bits.
 */
export function parseSizeOption(flag: string, text: string): number {
  const match = SIZE_PATTERN.exec(text.trim());
  const bytes = match ? Number(match[1]) * (match[3] ? IEC : SI)[(match[2] ?? '').toLowerCase()]! : Number.NaN;
  if (!Number.isFinite(bytes) || bytes < 1 || !Number.isSafeInteger(Math.round(bytes))) {
    throw new UsageError(`invalid ${flag} '${text}': expected a size of at least 1 byte such as 2GB, 512MiB or 700M`);
  }
  return Math.round(bytes);
}
