import type { BackupGap, RunStatus } from '../types.js';

/** The little gaps() needs of each backup. */
export interface GapInput {
  database: string | null;
  engine: string;
  startedAt: string;
  status: RunStatus;
}

/**
 * Per (engine, database): successive successful backups started further apart than `intervalMs`, and the time
 * since the last success when that is longer than `intervalMs` (`to: null`). A database whose backups never
 * succeeded is one gap from its first attempt until now, whatever the interval: it has no usable backup at all.
 * Sorted by engine, database (cluster backups, database null, first) and time.
 */
export function findGaps(backups: readonly GapInput[], intervalMs: number, now: Date): BackupGap[] {
  const groups = new Map<string, GapInput[]>();
  for (const backup of backups) {
    const key = JSON.stringify([backup.engine, backup.database]);
    const group = groups.get(key);
    if (group) group.push(backup);
    else groups.set(key, [backup]);
  }
  const nowMs = now.getTime();
  const gaps: BackupGap[] = [];
  for (const group of groups.values()) {
    const { engine, database } = group[0]!;
    const sorted = [...group].sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
    const successes = sorted.filter((backup) => backup.status === 'success');
    if (successes.length === 0) {
      const first = sorted[0]!.startedAt;
      gaps.push({
        database,
        engine,
        from: first,
        to: null,
        gapMs: nowMs - Date.parse(first),
        reason: 'never-succeeded',
      });
      continue;
    }
    for (let index = 1; index < successes.length; index++) {
      const from = successes[index - 1]!.startedAt;
      const to = successes[index]!.startedAt;
      const gapMs = Date.parse(to) - Date.parse(from);
      if (gapMs > intervalMs) gaps.push({ database, engine, from, to, gapMs, reason: 'between-successes' });
    }
    const last = successes.at(-1)!.startedAt;
    const sinceLast = nowMs - Date.parse(last);
    if (sinceLast > intervalMs) {
      gaps.push({ database, engine, from: last, to: null, gapMs: sinceLast, reason: 'since-last-success' });
    }
  }
  return gaps.sort(
    (a, b) =>
      (a.engine < b.engine ? -1 : a.engine > b.engine ? 1 : 0) ||
      compareDatabases(a.database, b.database) ||
      Date.parse(a.from) - Date.parse(b.from),
  );
}

function compareDatabases(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}
