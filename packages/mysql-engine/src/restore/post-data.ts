import type { MysqlSession } from '../connection/connect.js';
import type { MysqlPostDataItem } from '../schema/index.js';

const ER_LOCK_DEADLOCK = 1213;
const DEADLOCK_RETRIES = 3;

/**
 * Runs the items chosen by `select` on `sessions` in parallel, honouring `dependsOn`: an item starts once every item
 * it depends on has completed. Items whose dependencies are neither completed nor part of this pass are left for a
 * later pass (the dump lists items in a valid serial order, so a forward scan decides this). Among ready items, the
 * biggest tables start first. Returns the items it ran.
 */
export async function runPostDataPass(
  sessions: readonly MysqlSession[],
  items: readonly MysqlPostDataItem[],
  completed: Set<string>,
  select: (item: MysqlPostDataItem) => boolean,
  tableBytes: (table: string | undefined) => number,
): Promise<MysqlPostDataItem[]> {
  const chosen = new Set<string>();
  const pass: MysqlPostDataItem[] = [];
  for (const item of items) {
    if (completed.has(item.id) || !select(item)) continue;
    if (item.dependsOn.every((id) => completed.has(id) || chosen.has(id))) {
      chosen.add(item.id);
      pass.push(item);
    }
  }
  const waiting = [...pass];
  const running = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  const idle = [...sessions];

  const pickReady = (): MysqlPostDataItem | undefined => {
    let best: number | undefined;
    for (let i = 0; i < waiting.length; i++) {
      const item = waiting[i]!;
      if (!item.dependsOn.every((id) => completed.has(id))) continue;
      if (best === undefined || tableBytes(item.table) > tableBytes(waiting[best]!.table)) best = i;
    }
    return best === undefined ? undefined : waiting.splice(best, 1)[0];
  };

  while (!failure && (waiting.length > 0 || running.size > 0)) {
    while (!failure && idle.length > 0) {
      const current = pickReady();
      if (current === undefined) break;
      const session = idle.pop()!;
      const task: Promise<void> = runPostDataItem(session, current)
        .then(() => {
          completed.add(current.id);
        })
        .catch((error: unknown) => {
          failure ??= { error };
        })
        .finally(() => {
          idle.push(session);
          running.delete(task);
        });
      running.add(task);
    }
    if (running.size === 0) break; // nothing ready and nothing running: the rest waits for a later pass
    await Promise.race(running);
  }
  await Promise.all(running);
  if (failure) throw failure.error;
  return pass.filter((item) => completed.has(item.id));
}

/** The last pass: everything not yet run, one at a time in dump order. */
export async function runRemainingInOrder(
  session: MysqlSession,
  items: readonly MysqlPostDataItem[],
  completed: Set<string>,
): Promise<void> {
  for (const item of items) {
    if (completed.has(item.id)) continue;
    await runPostDataItem(session, item);
    completed.add(item.id);
  }
}

/** Runs one item's statements in order, retrying the item when it lost a deadlock. */
export async function runPostDataItem(session: MysqlSession, item: MysqlPostDataItem): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      for (const statement of item.statements) await session.client.query(statement);
      return;
    } catch (error) {
      // Parallel ALTER TABLEs on tables linked by foreign keys can deadlock; the loser simply retries.
      if ((error as { errno?: number }).errno !== ER_LOCK_DEADLOCK || attempt >= DEADLOCK_RETRIES) throw error;
    }
  }
}
