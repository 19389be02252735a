import { choosePass, runOnIdleSessions, takeFirstReady } from '@dbbackup/engine-kit';
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
  const waiting = [...pass];
  await runOnIdleSessions(clients, () => {
    const item = takeReadyItem(waiting, completed, tableBytes);
    return item && ((client) => runPostDataItem(client, item, completed));
  });
  return pass.filter((item) => completed.has(item.id));
}

/** The ready item of `waiting` to run next (see postDataPriority), removed from it; `ready` may narrow "ready". */
export function takeReadyItem(
  waiting: PostDataItem[],
  completed: ReadonlySet<string>,
  tableBytes: (table: string | undefined) => number,
  ready: (item: PostDataItem) => boolean = () => true,
): PostDataItem | undefined {
  return takeFirstReady(
    waiting,
    (item) => item.dependsOn.every((id) => completed.has(id)) && ready(item),
    (a, b) => comparePriority(postDataPriority(a, tableBytes), postDataPriority(b, tableBytes)) < 0,
  );
}

/** Runs one item (retrying a lost deadlock) and records it as completed. */
export async function runPostDataItem(client: pg.Client, item: PostDataItem, completed: Set<string>): Promise<void> {
  await runWithDeadlockRetry(client, item.sql);
  completed.add(item.id);
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

function comparePriority(a: readonly [number, number], b: readonly [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}

async function runWithDeadlockRetry(client: pg.Client, sql: string): Promise<void> {
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
