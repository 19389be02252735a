import { type ArchiveReader, type MemberEntry, MemberScratch } from '@dbbackup/archive';
import { choosePass, runOnIdleSessions, type SessionTask } from '@dbbackup/engine-kit';
import type pg from 'pg';
import type { ArchivedTable } from '../archive-layout.js';
import type { PostDataItem } from '../schema/index.js';
import { LoadStoppedError, type LoadUnit, loadUnit } from './load-data.js';
import { runPostDataItem, takeReadyItem } from './post-data.js';

export interface TierWork {
  clients: readonly pg.Client[];
  reader: ArchiveReader;
  /** The tier's data, biggest unit first. */
  units: readonly LoadUnit[];
  postData: readonly PostDataItem[];
  /** Ids of post-data items done so far; the tier adds the ones it runs. */
  completed: Set<string>;
  /** The post-data items (index and constraint work) this tier may run. */
  select: (item: PostDataItem) => boolean;
  /** Partitioned tables (by qualified name): their data is in their partitions. */
  partitionParents: ReadonlySet<string>;
  tableBytes: (table: string | undefined) => number;
  /** Runs on the loading session once all of a table's units are committed, before any of its indexes start. */
  afterTableLoaded?: (table: ArchivedTable, client: pg.Client) => Promise<void>;
  onMember?: (entry: MemberEntry) => void;
  onTableLoaded?: (table: ArchivedTable) => void;
}

/**
 * Runs one tier's data loads and its index/constraint work as one schedule over the sessions: an index or constraint
 * starts as soon as the data of the tables it needs is committed (and the items it depends on are done), while the
 * other sessions keep loading other tables, instead of all data first and all indexes after. Ready post-data work
 * goes first (it is what the end of the restore waits for), then the biggest data unit.
 *
 * An item whose tables are unknown (matviews) or partitioned waits for all of the tier's data, as before. Items that
 * depend on work outside the tier are left for a later pass. After a failure nothing new starts, running loads stop
 * at their next member and roll back, and the first error is thrown once every session is idle.
 */
export async function runTier(work: TierWork): Promise<void> {
  const { completed, tableBytes } = work;
  const unitsLeft = new Map<string, number>();
  for (const unit of work.units) {
    unitsLeft.set(unit.table.qualifiedName, (unitsLeft.get(unit.table.qualifiedName) ?? 0) + 1);
  }
  const tablesToLoad = new Set(unitsLeft.keys());
  const loaded = new Set<string>();
  const allLoaded = () => loaded.size === tablesToLoad.size;
  const dataReady = (item: PostDataItem): boolean => {
    const tables = item.dependsOnTables ?? [];
    if (tables.length === 0) return allLoaded();
    return tables.every((table) =>
      work.partitionParents.has(table) ? allLoaded() : !tablesToLoad.has(table) || loaded.has(table),
    );
  };

  const loads = [...work.units];
  const waiting = choosePass(work.postData, completed, work.select);

  const scratches = new Map<pg.Client, [MemberScratch, MemberScratch]>();
  const scratchesOf = (client: pg.Client) => {
    let pair = scratches.get(client);
    if (pair === undefined) {
      pair = [new MemberScratch(), new MemberScratch()];
      scratches.set(client, pair);
    }
    return pair;
  };

  const runLoad = async (unit: LoadUnit, client: pg.Client, stopped: () => boolean): Promise<void> => {
    await loadUnit(client, work.reader, unit, {
      ...(work.onMember ? { onMember: work.onMember } : {}),
      stopped,
      scratches: scratchesOf(client),
    });
    const name = unit.table.qualifiedName;
    const left = unitsLeft.get(name)! - 1;
    unitsLeft.set(name, left);
    if (left > 0) return;
    await work.afterTableLoaded?.(unit.table, client);
    loaded.add(name);
    work.onTableLoaded?.(unit.table);
  };

  // Ready post-data work first (it is what the end of the restore waits for), then the biggest data unit.
  const next = (): SessionTask<pg.Client> | undefined => {
    const item = takeReadyItem(waiting, completed, tableBytes, dataReady);
    if (item !== undefined) return (client) => runPostDataItem(client, item, completed);
    const unit = loads.shift();
    return unit && ((client, stopped) => runLoad(unit, client, stopped));
  };
  await runOnIdleSessions(work.clients, next, { ignore: (error) => error instanceof LoadStoppedError });
}
