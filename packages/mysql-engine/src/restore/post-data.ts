import { choosePass, runOnIdleSessions, takeFirstReady } from '@dbbackup/engine-kit';
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
  const pass = choosePass(items, completed, select);
  const waiting = [...pass];
  await runOnIdleSessions(sessions, () => {
    const item = takeFirstReady(
      waiting,
      (candidate) => candidate.dependsOn.every((id) => completed.has(id)),
      (a, b) => tableBytes(a.table) > tableBytes(b.table),
    );
    return (
      item &&
      (async (session) => {
        await runPostDataItem(session, item);
        completed.add(item.id);
      })
    );
  });
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
