const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/y;

/**
 * '30s', '500ms', '2m', '1m30s', '0' → milliseconds; null when the text is not a duration. A bare number other than
 * 0 is refused: "30" could mean seconds or milliseconds, and guessing wrong makes a window 1000 times off.
 */
export function parseDuration(text: string): number | null {
  const input = text.trim().toLowerCase();
  if (input === '0') return 0;
  if (input === '') return null;
  PART.lastIndex = 0;
  let total = 0;
  let position = 0;
  for (let match = PART.exec(input); match !== null; match = PART.exec(input)) {
    total += Number(match[1]) * UNIT_MS[match[2]!]!;
    position = PART.lastIndex;
  }
  if (position !== input.length || !Number.isFinite(total)) return null;
  return Math.round(total);
}

/** 30000 → '30s', 1500 → '1.5s', 250 → '250ms': for messages. */
export function formatDuration(milliseconds: number): string {
  if (milliseconds < 1000) return `${milliseconds}ms`;
  return `${Number((milliseconds / 1000).toFixed(1))}s`;
}
