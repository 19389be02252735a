/**
 * Turns the table list into work items for the parallel workers: biggest first, and a table that would otherwise
 * keep one worker busy long after the others finished is split into primary-key ranges (on the first primary-key
 * column when it is an integer), so one huge table keeps every worker busy.
 */

/**
 * 16 MiB: a stream holds up to three parts (one filling, one being compressed, one waiting while the rows pause), so
 * two jobs hold ~96 MiB of rows; with 32 MiB parts a two-job backup of the SCALE 120 benchmark peaked at 364 MB RSS.
 */
export const DEFAULT_PART_SIZE_BYTES = 16 * 1024 * 1024;
export const DEFAULT_SPLIT_THRESHOLD_BYTES = 256 * 1024 * 1024;

const INTEGER_TYPES = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'bigint']);

export interface PlannedTable {
  quotedName: string;
  selectList: string;
  /** FOR SYSTEM_TIME ALL (system-versioned tables). */
  allHistory: boolean;
  estimatedBytes: number;
  /** Quoted integer column ranges can be cut on (first primary-key column), or null. */
  splitColumn: string | null;
}

export interface WorkItem<T extends PlannedTable> {
  table: T;
  /** The SELECT for this item. */
  sql: string;
  estimatedBytes: number;
  /** `column >= from AND column < to` (decimal strings); an open end is null. */
  range?: { from: string | null; to: string | null };
}

export interface PlanOptions {
  jobs: number;
  splitThresholdBytes: number;
  partSizeBytes: number;
}

/** Reads MIN and MAX of the split column inside the backup's snapshot; null for an empty table. */
export type KeyBounds = (table: PlannedTable) => Promise<{ min: bigint; max: bigint } | null>;

export function splitColumnOf(
  primaryKey: readonly string[] | null,
  dataTypeOf: (quoted: string) => string | undefined,
) {
  const first = primaryKey?.[0];
  if (first === undefined) return null;
  const type = dataTypeOf(first);
  return type !== undefined && INTEGER_TYPES.has(type) ? first : null;
}

export async function planWork<T extends PlannedTable>(
  tables: readonly T[],
  options: PlanOptions,
  bounds: KeyBounds,
): Promise<WorkItem<T>[]> {
  const total = tables.reduce((sum, table) => sum + table.estimatedBytes, 0);
  const fairShare = total / Math.max(1, options.jobs);
  const items: WorkItem<T>[] = [];
  for (const table of tables) {
    const wanted = rangeCount(table, total, fairShare, options);
    const range = wanted > 1 ? await bounds(table) : null;
    if (!range || range.max <= range.min) {
      items.push({ table, sql: selectSql(table), estimatedBytes: table.estimatedBytes });
      continue;
    }
    const span = range.max - range.min + 1n;
    const count = BigInt(wanted) < span ? BigInt(wanted) : span;
    const step = (span + count - 1n) / count;
    const cuts: bigint[] = [];
    for (let cut = range.min + step; cut <= range.max; cut += step) cuts.push(cut);
    const pieces = cuts.length + 1;
    for (let i = 0; i < pieces; i++) {
      const from = i === 0 ? null : cuts[i - 1]!.toString();
      const to = i === cuts.length ? null : cuts[i]!.toString();
      items.push({
        table,
        sql: selectSql(table, { from, to }),
        estimatedBytes: table.estimatedBytes / pieces,
        range: { from, to },
      });
    }
  }
  // Biggest first; a stable sort keeps the ranges of one table in key order.
  return items.sort((a, b) => b.estimatedBytes - a.estimatedBytes);
}

function rangeCount(table: PlannedTable, total: number, fairShare: number, options: PlanOptions): number {
  // With one connection ranges gain nothing: rows are read in primary-key order anyway.
  if (options.jobs < 2 || table.splitColumn === null) return 1;
  const overThreshold = table.estimatedBytes > options.splitThresholdBytes;
  const dominates = table.estimatedBytes > fairShare && table.estimatedBytes > 2 * options.partSizeBytes;
  if (!overThreshold && !dominates) return 1;
  // Ranges small enough that the workers stay balanced: at most the threshold, at most half a worker's share.
  const rangeBytes = Math.max(1, Math.min(options.splitThresholdBytes, total / (2 * options.jobs)));
  return Math.max(2, Math.ceil(table.estimatedBytes / rangeBytes));
}

/** The data SELECT of a table or of one key range. No ORDER BY: rows come in the scan's own order. */
export function selectSql(table: PlannedTable, range?: { from: string | null; to: string | null }): string {
  const conditions: string[] = [];
  if (range?.from != null) conditions.push(`${table.splitColumn} >= ${range.from}`);
  if (range?.to != null) conditions.push(`${table.splitColumn} < ${range.to}`);
  const history = table.allHistory ? ' FOR SYSTEM_TIME ALL' : '';
  const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
  return `SELECT ${table.selectList} FROM ${table.quotedName}${history}${where}`;
}
