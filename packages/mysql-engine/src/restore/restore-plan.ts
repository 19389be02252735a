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

export function planRestore(archive: MysqlArchive, criticalPatterns: readonly string[]): RestorePlan {
  const tables = new Map(archive.extra.tables.map((table) => [tableKey(table), table]));
  const byName = new Map(archive.extra.tables.map((table) => [table.name, table]));
  const loads: DataLoad[] = [];
  const membersPerTable = new Map<string, number>();
  for (const entry of archive.dataMembers) {
    const table = entry.table ? tables.get(tableKey(entry.table)) : undefined;
    if (!table) throw new Error(`data member ${entry.name} names a table missing from the manifest's table list`);
    loads.push({ table, entry });
    membersPerTable.set(tableKey(table), (membersPerTable.get(tableKey(table)) ?? 0) + 1);
  }
  // Biggest members first, so the longest loads start early and the workers finish together.
  loads.sort((a, b) => b.entry.plainSize - a.entry.plainSize);

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
