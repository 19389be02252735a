import type { MemberEntry } from '@dbbackup/archive';
import { compileTablePatterns } from '@dbbackup/engine-kit';
import { type ArchivedTable, type MysqlArchive, tableKey } from '../archive-layout.js';
import type { MysqlPostDataItem } from '../schema/index.js';

export interface DataLoad {
  table: ArchivedTable;
  entry: MemberEntry;
}

/** One tier of a restore: its tables' data, then the deferred indexes of those tables. */
export interface RestoreTier {
  tables: ArchivedTable[];
  loads: DataLoad[];
  selectIndexes: (item: MysqlPostDataItem) => boolean;
}

export interface RestorePlan {
  /** The critical tier first when critical tables were asked for, then everything else. */
  tiers: RestoreTier[];
  critical: ArchivedTable[];
  /** Tables with at least one data member. */
  tablesWithData: ArchivedTable[];
  membersPerTable: Map<string, number>;
  /** Plain data bytes of a table by raw name (post-data items name their table that way). */
  tableBytes: (name: string | undefined) => number;
}

const isIndex = (item: MysqlPostDataItem) => item.kind === 'index';

/**
 * What one row costs the server in a LOAD DATA, in bytes of load text: InnoDB spends ~2.5 µs per row and ~13 ns
 * per byte here (3 M 13-byte lines cost more than 1 M 235-byte lines), so sizes alone misjudge narrow tables.
 */
export const ROW_COST_BYTES = 192;

/** The estimated server cost of loading a member, in bytes of load text (see ROW_COST_BYTES). */
export function loadCost(entry: MemberEntry): number {
  return entry.plainSize + ROW_COST_BYTES * (entry.rows ?? 0);
}

/**
 * Orders the data loads: tables with deferred indexes first, then the others, each group by estimated cost,
 * biggest table first, and a table's members together, biggest first. A table's index build can only start once
 * its last member is in and then runs on one session; loading such tables first lets that build overlap with the
 * loads of the other tables instead of running alone at the end (a small last member of an indexed table sorted
 * behind everything else used to leave one session idle during the whole build).
 */
export function orderLoads(loads: readonly DataLoad[], indexedTables: ReadonlySet<string>): DataLoad[] {
  const tableCost = new Map<string, number>();
  for (const load of loads) {
    const key = tableKey(load.table);
    tableCost.set(key, (tableCost.get(key) ?? 0) + loadCost(load.entry));
  }
  const rank = (load: DataLoad) => (indexedTables.has(load.table.name) ? 0 : 1);
  return [...loads].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      tableCost.get(tableKey(b.table))! - tableCost.get(tableKey(a.table))! ||
      tableKey(a.table).localeCompare(tableKey(b.table)) ||
      loadCost(b.entry) - loadCost(a.entry),
  );
}

/**
 * indexedTables: raw names of the tables that have deferred index items (post-data items name tables that way).
 */
export function planRestore(
  archive: MysqlArchive,
  criticalPatterns: readonly string[],
  indexedTables: ReadonlySet<string> = new Set(),
): RestorePlan {
  const tables = new Map(archive.extra.tables.map((table) => [tableKey(table), table]));
  const byName = new Map(archive.extra.tables.map((table) => [table.name, table]));
  const unordered: DataLoad[] = [];
  const membersPerTable = new Map<string, number>();
  for (const entry of archive.dataMembers) {
    const table = entry.table ? tables.get(tableKey(entry.table)) : undefined;
    if (!table) throw new Error(`data member ${entry.name} names a table missing from the manifest's table list`);
    unordered.push({ table, entry });
    membersPerTable.set(tableKey(table), (membersPerTable.get(tableKey(table)) ?? 0) + 1);
  }
  const loads = orderLoads(unordered, indexedTables);

  const isCritical = compileTablePatterns(criticalPatterns);
  const critical = archive.extra.tables.filter((table) => isCritical(table));
  const criticalNames = new Set(critical.map((table) => table.name));
  const tiers: RestoreTier[] = [];
  if (critical.length > 0) {
    tiers.push({
      tables: critical,
      loads: loads.filter((load) => criticalNames.has(load.table.name)),
      selectIndexes: (item) => isIndex(item) && item.table !== undefined && criticalNames.has(item.table),
    });
  }
  tiers.push({
    tables: archive.extra.tables.filter((table) => !criticalNames.has(table.name)),
    loads: loads.filter((load) => !criticalNames.has(load.table.name)),
    selectIndexes: isIndex,
  });
  return {
    tiers,
    critical,
    tablesWithData: archive.extra.tables.filter((table) => membersPerTable.has(tableKey(table))),
    membersPerTable,
    tableBytes: (name) => (name === undefined ? 0 : (byName.get(name)?.bytes ?? 0)),
  };
}
