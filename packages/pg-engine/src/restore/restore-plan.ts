import type { MemberEntry } from '@dbbackup/archive';
import { compileTablePatterns } from '@dbbackup/engine-kit';
import { type ArchivedTable, type PostgresArchive, tableKey } from '../archive-layout.js';
import type { PostDataItem } from '../schema/index.js';
import type { LoadUnit } from './load-data.js';

export interface DataLoad {
  table: ArchivedTable;
  entry: MemberEntry;
}

/** One tier of a restore: its tables' data, then the indexes and constraints that need only those tables. */
export interface RestoreTier {
  tables: ArchivedTable[];
  loads: DataLoad[];
  /** The same loads grouped into per-table transactions (see planLoadUnits), biggest first. */
  units: LoadUnit[];
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

/**
 * A table is split over several sessions only when it is this much bigger than its fair share of the tier (the
 * tier's bytes / jobs): one unit per table loads each table in one transaction with COPY FREEZE and no contention on
 * its relation, which wins unless one table holds most of the data and would keep one session busy long after the
 * others ran out of work.
 */
const SPLIT_FACTOR = 1.5;

export function planRestore(archive: PostgresArchive, criticalPatterns: readonly string[], jobs = 1): RestorePlan {
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
      units: [],
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
    units: [],
    selectIndexes: isIndexWork,
  });
  for (const tier of tiers) tier.units = planLoadUnits(tier.loads, jobs);
  return {
    tiers,
    critical,
    tablesWithData: archive.extra.tables.filter((table) => membersPerTable.has(tableKey(table))),
    membersPerTable,
    tableBytes: (name) => (name === undefined ? 0 : (byQualifiedName.get(name)?.bytes ?? 0)),
  };
}

/**
 * Groups a tier's loads into units: normally one per table (all its members, in part order, in one transaction,
 * with FREEZE). A table bigger than SPLIT_FACTOR times the tier's fair share per job is cut into `jobs` units of
 * consecutive parts with about equal bytes, loaded in parallel without FREEZE. Biggest unit first.
 */
export function planLoadUnits(loads: readonly DataLoad[], jobs: number): LoadUnit[] {
  const byTable = new Map<string, DataLoad[]>();
  for (const load of loads) {
    const key = tableKey(load.table);
    const list = byTable.get(key) ?? [];
    list.push(load);
    byTable.set(key, list);
  }
  const tierBytes = loads.reduce((sum, load) => sum + load.entry.plainSize, 0);
  const fairShare = tierBytes / Math.max(1, jobs);
  const units: LoadUnit[] = [];
  for (const tableLoads of byTable.values()) {
    const table = tableLoads[0]!.table;
    const entries = tableLoads.map((load) => load.entry).sort((a, b) => (a.part ?? 0) - (b.part ?? 0));
    const bytes = sumPlain(entries);
    const pieces = Math.min(jobs, entries.length);
    if (pieces < 2 || bytes <= SPLIT_FACTOR * fairShare) {
      units.push({ table, entries, freeze: true });
      continue;
    }
    const before: number[] = [0]; // before[i]: plain bytes of entries[0..i)
    for (const entry of entries) before.push(before.at(-1)! + entry.plainSize);
    let start = 0;
    for (let piece = 0; piece < pieces; piece++) {
      // Cut where the running total passes the piece's share; every piece keeps at least one member.
      const target = (bytes * (piece + 1)) / pieces;
      let end = start + 1;
      while (end < entries.length - (pieces - piece - 1) && before[end + 1]! <= target) end++;
      if (piece === pieces - 1) end = entries.length;
      units.push({ table, entries: entries.slice(start, end), freeze: false });
      start = end;
    }
  }
  return units.sort((a, b) => sumPlain(b.entries) - sumPlain(a.entries));
}

function sumPlain(entries: readonly MemberEntry[]): number {
  return entries.reduce((sum, entry) => sum + entry.plainSize, 0);
}
