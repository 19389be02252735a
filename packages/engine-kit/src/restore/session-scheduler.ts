/**
 * Scheduling of restore work over a fixed set of database sessions, shared by both engines' post-data passes and by
 * the PostgreSQL restore's tier scheduler (data loads and index builds in one schedule).
 */

/** Post-data work that may depend on other items by id. */
export interface DependentItem {
  id: string;
  dependsOn: readonly string[];
}

/** Work bound to the session that runs it; `stopped()` turns true once another task has failed. */
export type SessionTask<S> = (session: S, stopped: () => boolean) => Promise<void>;

/**
 * Keeps every session busy: whenever one is idle, `next()` gives the task to run on it (undefined: nothing is ready
 * now). Returns when nothing is ready and nothing runs; whatever `next` still holds waits for a later pass. After a
 * failure nothing new starts and the first error is thrown once every session is idle; errors that `ignore`
 * accepts (a task that stopped because another failed) are not failures of their own.
 */
export async function runOnIdleSessions<S>(
  sessions: readonly S[],
  next: () => SessionTask<S> | undefined,
  options: { ignore?: (error: unknown) => boolean } = {},
): Promise<void> {
  const idle = [...sessions];
  const running = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  const stopped = () => failure !== undefined;
  for (;;) {
    while (!failure && idle.length > 0) {
      const task = next();
      if (task === undefined) break;
      const session = idle.pop()!;
      const tracked: Promise<void> = task(session, stopped)
        .catch((error: unknown) => {
          if (!options.ignore?.(error)) failure ??= { error };
        })
        .finally(() => {
          idle.push(session);
          running.delete(tracked);
        });
      running.add(tracked);
    }
    if (running.size === 0) break;
    await Promise.race(running);
  }
  if (failure) throw failure.error;
}

/**
 * The items chosen by `select` that can run in this pass: not completed yet, and depending only on completed items
 * or on items of the same pass (the dump lists items in a valid serial order, so one forward scan decides this).
 */
export function choosePass<T extends DependentItem>(
  items: readonly T[],
  completed: ReadonlySet<string>,
  select: (item: T) => boolean,
): T[] {
  const chosen = new Set<string>();
  const pass: T[] = [];
  for (const item of items) {
    if (completed.has(item.id) || !select(item)) continue;
    if (item.dependsOn.every((id) => completed.has(id) || chosen.has(id))) {
      chosen.add(item.id);
      pass.push(item);
    }
  }
  return pass;
}

/** Removes and returns the item of `waiting` that is ready and goes before every other ready one (`before`). */
export function takeFirstReady<T>(
  waiting: T[],
  isReady: (item: T) => boolean,
  before: (a: T, b: T) => boolean,
): T | undefined {
  let best: number | undefined;
  for (let i = 0; i < waiting.length; i++) {
    const item = waiting[i]!;
    if (!isReady(item)) continue;
    if (best === undefined || before(item, waiting[best]!)) best = i;
  }
  return best === undefined ? undefined : waiting.splice(best, 1)[0];
}
