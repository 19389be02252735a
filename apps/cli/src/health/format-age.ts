const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A duration in the unit people think of backup ages in: `45s`, `12m`, `30h` (hours up to three days, so it reads
 * against thresholds such as 26h and 50h), then `3d 4h`. Rounded down: a backup 25h59m old is `25h`, never `26h`.
 */
export function formatAge(milliseconds: number): string {
  const ms = Math.max(0, milliseconds);
  if (ms < MINUTE) return `${Math.floor(ms / SECOND)}s`;
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)}m`;
  if (ms < 3 * DAY) return `${Math.floor(ms / HOUR)}h`;
  const days = Math.floor(ms / DAY);
  const hours = Math.floor((ms % DAY) / HOUR);
  return hours === 0 ? `${days}d` : `${days}d ${hours}h`;
}

/** A threshold as given (`26h`, `90m`, `7d`): exact, unlike formatAge, e.g. 90m → `1h 30m`. */
export function formatThreshold(milliseconds: number): string {
  const parts: string[] = [];
  let rest = Math.max(0, Math.round(milliseconds / SECOND)) * SECOND;
  // Hours stay hours (26h, 50h) as the defaults and the issue write them; days only for whole days of 72h and more.
  if (rest >= 3 * DAY && rest % DAY === 0) return `${rest / DAY}d`;
  for (const [unit, size] of [
    ['h', HOUR],
    ['m', MINUTE],
    ['s', SECOND],
  ] as const) {
    const count = Math.floor(rest / size);
    if (count > 0) parts.push(`${count}${unit}`);
    rest -= count * size;
  }
  return parts.length === 0 ? '0s' : parts.join(' ');
}
