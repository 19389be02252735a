import type pg from 'pg';
import type { PostDataItem } from '../schema/index.js';

const DEADLOCK_DETECTED = '40P01';
const DEADLOCK_RETRIES = 3;

/** Lower runs first among ready items: index builds and constraints, then foreign keys, then the rest. */
const KIND_RANK: Partial<Record<PostDataItem['kind'], number>> = { index: 0, constraint: 0, 'foreign-key': 1 };

/**
 * Runs the items chosen by `select` on `clients` in parallel, honouring `dependsOn`: an item starts once every item
 * it depends on has completed. Items whose dependencies are neither completed nor part of this pass are left for a
 * later pass (the dump lists items in a valid serial order, so a forward scan decides this). Among ready items,
 * index/constraint work on the biggest tables starts first. Returns the items it ran.
 */
export async function runPostDataPass(
  clients: readonly pg.Client[],
  items: readonly PostDataItem[],
  completed: Set<string>,
  select: (item: PostDataItem) => boolean,
  tableBytes: (table: string | undefined) => number,
): Promise<PostDataItem[]> {
  const pass = choosePass(items, completed, select);
  const priority = (item: PostDataItem) => postDataPriority(item, tableBytes);
  const waiting = [...pass];
  const running = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  const idleClients = [...clients];

  const pickReady = (): PostDataItem | undefined => {
    let best: number | undefined;
    for (let i = 0; i < waiting.length; i++) {
      const item = waiting[i]!;
      if (!item.dependsOn.every((id) => completed.has(id))) continue;
      if (best === undefined || comparePriority(priority(item), priority(waiting[best]!)) < 0) best = i;
    }
    return best === undefined ? undefined : waiting.splice(best, 1)[0];
  };

  while (!failure && (waiting.length > 0 || running.size > 0)) {
    while (!failure && idleClients.length > 0) {
      const current = pickReady();
      if (current === undefined) break;
      const client = idleClients.pop()!;
      const task: Promise<void> = runWithDeadlockRetry(client, current.sql)
        .then(() => {
          completed.add(current.id);
        })
        .catch((error: unknown) => {
          failure ??= { error };
        })
        .finally(() => {
          idleClients.push(client);
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

/**
 * The items chosen by `select` that can run in this pass: not completed yet, and depending only on completed items
 * or on items of the same pass (the dump lists items in a valid serial order, so one forward scan decides this).
 */
export function choosePass(
  items: readonly PostDataItem[],
  completed: ReadonlySet<string>,
  select: (item: PostDataItem) => boolean,
): PostDataItem[] {
  const chosen = new Set<string>();
  const pass: PostDataItem[] = [];
  for (const item of items) {
    if (completed.has(item.id) || !select(item)) continue;
    if (item.dependsOn.every((id) => completed.has(id) || chosen.has(id))) {
      chosen.add(item.id);
      pass.push(item);
    }
  }
  return pass;
}

/** Index/constraint work first, then foreign keys, then the rest; bigger tables first within a rank. */
export function postDataPriority(
  item: PostDataItem,
  tableBytes: (table: string | undefined) => number,
): readonly [number, number] {
  return [KIND_RANK[item.kind] ?? 2, -tableBytes(item.table)];
}

/** The last pass: everything not yet run, one at a time in dump order. */
export async function runRemainingInOrder(
  client: pg.Client,
  items: readonly PostDataItem[],
  completed: Set<string>,
): Promise<void> {
  for (const item of items) {
    if (completed.has(item.id)) continue;
    await client.query(item.sql);
    completed.add(item.id);
  }
}

export function comparePriority(a: readonly [number, number], b: readonly [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}

export async function runWithDeadlockRetry(client: pg.Client, sql: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await client.query(sql);
      return;
    } catch (error) {
      // Parallel ALTER TABLEs on related tables (partitions, FK pairs) can deadlock; the loser simply retries.
      if ((error as { code?: string }).code !== DEADLOCK_DETECTED || attempt >= DEADLOCK_RETRIES) throw error;
    }
  }
}
