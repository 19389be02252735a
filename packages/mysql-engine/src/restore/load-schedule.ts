import { tableKey } from '../archive-layout.js';
import type { MysqlPostDataItem } from '../schema/index.js';
import type { DataLoad } from './restore-plan.js';

/** One unit of restore work for a session: a data member, or the deferred indexes of a table whose data is in. */
export type LoadJob = { kind: 'load'; load: DataLoad } | { kind: 'index'; item: MysqlPostDataItem };

export interface LoadScheduleOptions {
  loads: readonly DataLoad[];
  /** Deferred-index items of this tier (kind 'index'), in dump order. */
  indexItems: readonly MysqlPostDataItem[];
  concurrency: number;
  /** Items already run (earlier tiers); index items become ready when their dependsOn are in here. */
  completed: Set<string>;
  run: (job: LoadJob, slot: number) => Promise<void>;
}

/**
 * Runs a tier's data loads (biggest first) and starts each table's deferred-index build as soon as the table's
 * last member is loaded, on whichever session is free, so index builds overlap with the loads of other tables
 * instead of waiting for all data. An index job goes before the remaining loads: it is usually the longest job
 * left. Index items whose dependencies are not completed stay for the caller's later post-data pass. After the
 * first failure no new job starts; the jobs in flight finish (or fail), then the first error is thrown.
 */
export async function runLoadSchedule(options: LoadScheduleOptions): Promise<void> {
  const { loads, completed, run } = options;
  const queue: LoadJob[] = loads.map((load) => ({ kind: 'load', load }));
  const membersLeft = new Map<string, number>();
  for (const load of loads) membersLeft.set(tableKey(load.table), (membersLeft.get(tableKey(load.table)) ?? 0) + 1);
  const loadedTables = new Set<string>();
  const tablesWithLoads = new Set(loads.map((load) => load.table.name));
  const waitingIndexes = [...options.indexItems];

  const releaseIndexes = () => {
    for (let i = 0; i < waitingIndexes.length; ) {
      const item = waitingIndexes[i]!;
      const tableReady = item.table === undefined || !tablesWithLoads.has(item.table) || loadedTables.has(item.table);
      if (tableReady && item.dependsOn.every((id) => completed.has(id))) {
        waitingIndexes.splice(i, 1);
        queue.unshift({ kind: 'index', item });
      } else {
        i++;
      }
    }
  };
  releaseIndexes();

  let failure: { error: unknown } | undefined;
  let sleepers: Array<() => void> = [];
  let running = 0;
  const lane = async (slot: number): Promise<void> => {
    for (;;) {
      if (failure) return;
      const job = queue.shift();
      if (!job) {
        // Nothing to do now; a running load may still release index work.
        if (running === 0) return;
        await new Promise<void>((resolve) => sleepers.push(resolve));
        continue;
      }
      running++;
      try {
        await run(job, slot);
        if (job.kind === 'load') {
          const key = tableKey(job.load.table);
          const left = (membersLeft.get(key) ?? 1) - 1;
          membersLeft.set(key, left);
          if (left === 0) loadedTables.add(job.load.table.name);
        } else {
          completed.add(job.item.id);
        }
        releaseIndexes();
      } catch (error) {
        failure ??= { error };
      } finally {
        running--;
        const waking = sleepers;
        sleepers = [];
        for (const resolve of waking) resolve();
      }
    }
  };
  const lanes = Math.max(1, Math.min(options.concurrency, queue.length + waitingIndexes.length));
  await Promise.all(Array.from({ length: lanes }, (_, slot) => lane(slot)));
  if (failure) throw failure.error;
}
