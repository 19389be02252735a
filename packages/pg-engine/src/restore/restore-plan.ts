import type { MemberEntry } from '@dbbackup/archive';
import { compileTablePatterns } from '@dbbackup/engine-kit';
import { type ArchivedTable, type PostgresArchive, tableKey } from '../archive-layout.js';
import type { PostDataItem } from '../schema/index.js';

export interface DataLoad {
  table: ArchivedTable;
  entry: MemberEntry;
}

/** One tier of a restore: its tables' data, then the indexes and constraints that need only those tables. */
export interface RestoreTier {
  tables: ArchivedTable[];
  loads: DataLoad[];
  selectIndexes: (item: PostDataItem) => boolean;
}

export interface RestorePlan {
  /** The critical tier first when critical tables were asked for, then everything else. */
  tiers: RestoreTier[];
  critical: ArchivedTable[];
  /** Tables with at least one data member. */
  tablesWithData: ArchivedTable[];
  membersPerTable: Map<string, number>;
  tableBytes: (qualifiedName: string | undefined) => number;
}

const isIndexWork = (item: PostDataItem) => item.kind === 'index' || item.kind === 'constraint';

export function planRestore(archive: PostgresArchive, criticalPatterns: readonly string[]): RestorePlan {
  const tables = new Map(archive.extra.tables.map((table) => [tableKey(table), table]));
  const byQualifiedName = new Map(archive.extra.tables.map((table) => [table.qualifiedName, table]));
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
  const critical = archive.extra.tables.filter((table) => !table.isPartitionParent && isCritical(table));
  const criticalNames = new Set(critical.map((table) => table.qualifiedName));
  const tiers: RestoreTier[] = [];
  if (critical.length > 0) {
    tiers.push({
      tables: critical,
      loads: loads.filter((load) => criticalNames.has(load.table.qualifiedName)),
      selectIndexes: (item) =>
        isIndexWork(item) &&
        item.table !== undefined &&
        criticalNames.has(item.table) &&
        (item.dependsOnTables ?? []).every((name) => criticalNames.has(name)),
    });
  }
  tiers.push({
    tables: archive.extra.tables.filter((table) => !criticalNames.has(table.qualifiedName)),
    loads: loads.filter((load) => !criticalNames.has(load.table.qualifiedName)),
    selectIndexes: isIndexWork,
  });
  return {
    tiers,
    critical,
    tablesWithData: archive.extra.tables.filter((table) => membersPerTable.has(tableKey(table))),
    membersPerTable,
    tableBytes: (name) => (name === undefined ? 0 : (byQualifiedName.get(name)?.bytes ?? 0)),
  };
}
