/**
 * Turns the table list into work items for the parallel workers: largest first, and tables that would otherwise
 * keep one worker busy long after the others finished are split into ctid block ranges (TID range scans,
 * PostgreSQL 14+), so one huge table uses every worker. Below 14 a ctid qual would rescan the whole table per
 * range, so tables are not split there.
 */

/**
 * 16 MiB: a stream holds two parts (one filling in the parser, one being compressed), so two jobs hold 64 MiB;
 * 32 MiB parts put a two-job backup of the benchmark database over 300 MB of peak RSS.
 */
export const DEFAULT_PART_SIZE_BYTES = 16 * 1024 * 1024;
export const DEFAULT_SPLIT_THRESHOLD_BYTES = 256 * 1024 * 1024;
const TID_RANGE_SCAN_VERSION_NUM = 140000;

export interface PlannedTable {
  oid: number;
  qualifiedName: string;
  /** Quoted column list; empty for a table without columns. */
  columns: string;
  estimatedBytes: number;
  pages: number;
}

export interface WorkItem<T extends PlannedTable> {
  table: T;
  /** The COPY ... TO STDOUT statement for this item. */
  sql: string;
  estimatedBytes: number;
  /** Block range [fromPage, toPage) for split tables; toPage null = to the end (catches growth). */
  range?: { fromPage: number; toPage: number | null };
}

export interface PlanOptions {
  jobs: number;
  serverVersionNum: number;
  splitThresholdBytes: number;
  partSizeBytes: number;
}

export function planWork<T extends PlannedTable>(tables: readonly T[], options: PlanOptions): WorkItem<T>[] {
  const total = tables.reduce((sum, table) => sum + table.estimatedBytes, 0);
  const fairShare = total / Math.max(1, options.jobs);
  const canSplit = options.serverVersionNum >= TID_RANGE_SCAN_VERSION_NUM;
  const items: WorkItem<T>[] = [];
  for (const table of tables) {
    const ranges = canSplit ? rangeCount(table, total, fairShare, options) : 1;
    if (ranges <= 1) {
      items.push({ table, sql: wholeTableCopy(table), estimatedBytes: table.estimatedBytes });
      continue;
    }
    const pagesPerRange = Math.ceil(table.pages / ranges);
    for (let from = 0; from < table.pages; from += pagesPerRange) {
      const to = from + pagesPerRange >= table.pages ? null : from + pagesPerRange;
      items.push({
        table,
        sql: rangeCopy(table, from, to),
        estimatedBytes: table.estimatedBytes / ranges,
        range: { fromPage: from, toPage: to },
      });
    }
  }
  // Biggest first; a stable sort keeps the ranges of one table in block order.
  return items.sort((a, b) => b.estimatedBytes - a.estimatedBytes);
}

function rangeCount(table: PlannedTable, total: number, fairShare: number, options: PlanOptions): number {
  if (table.pages < 2 || table.columns === '') return 1;
  const overThreshold = table.estimatedBytes > options.splitThresholdBytes;
  const dominates =
    options.jobs > 1 && table.estimatedBytes > fairShare && table.estimatedBytes > 2 * options.partSizeBytes;
  if (!overThreshold && !dominates) return 1;
  // Ranges small enough that the workers stay balanced: at most the threshold, at most half a worker's share.
  const rangeBytes = Math.max(1, Math.min(options.splitThresholdBytes, total / (2 * Math.max(1, options.jobs))));
  return Math.min(table.pages, Math.max(2, Math.ceil(table.estimatedBytes / rangeBytes)));
}

function wholeTableCopy(table: PlannedTable): string {
  const columns = table.columns === '' ? '' : ` (${table.columns})`;
  return `COPY ${table.qualifiedName}${columns} TO STDOUT`;
}

function rangeCopy(table: PlannedTable, fromPage: number, toPage: number | null): string {
  const conditions: string[] = [];
  if (fromPage > 0) conditions.push(`ctid >= '(${fromPage},0)'::tid`);
  if (toPage !== null) conditions.push(`ctid < '(${toPage},0)'::tid`);
  const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
  // ONLY: a plain COPY of a table never includes inheritance children, so neither may the SELECT.
  return `COPY (SELECT ${table.columns} FROM ONLY ${table.qualifiedName}${where}) TO STDOUT`;
}
