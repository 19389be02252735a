import type { RetentionBackup, RetentionResult } from '../src/types.js';

let nextId = 0;

export function backup(
  timestamp: string,
  overrides: Partial<Omit<RetentionBackup, 'timestamp'>> = {},
): RetentionBackup {
  nextId++;
  return {
    id: overrides.id ?? `b${nextId}-${timestamp}`,
    database: 'shop',
    timestamp,
    status: 'success',
    ...overrides,
  };
}

export function keptTimestamps(result: RetentionResult): string[] {
  return result.keep.map((decision) => String(decision.backup.timestamp));
}

export function reasonsOf(result: RetentionResult, timestamp: string): string[] {
  const decision = [...result.keep, ...result.delete].find((d) => String(d.backup.timestamp) === timestamp);
  if (!decision) throw new Error(`no decision for ${timestamp}`);
  return decision.reasons;
}

/** Every hour-aligned time at `hour`:00 UTC from `first` to `last` (YYYY-MM-DD), oldest first. */
export function dailyAt(first: string, last: string, hour = 2): string[] {
  const times: string[] = [];
  for (let t = Date.parse(`${first}T00:00:00Z`); t <= Date.parse(`${last}T00:00:00Z`); t += 86_400_000) {
    times.push(new Date(t + hour * 3_600_000).toISOString());
  }
  return times;
}
