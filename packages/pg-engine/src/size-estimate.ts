/**
 * Row estimates for tables the planner has no statistics for yet, the way the planner guesses them
 * (estimate_rel_size / get_rel_data_width): rows per page from the declared column widths, times the pages the
 * table has now.
 */

const PAGE_HEADER_BYTES = 24;
const TUPLE_HEADER_BYTES = 24; // MAXALIGN(SizeofHeapTupleHeader)
const ITEM_POINTER_BYTES = 4;
const MAXIMUM_ALIGNMENT = 8;

export interface TableStatistics {
  /** pg_class.relpages and reltuples as of the last VACUUM/ANALYZE (reltuples -1 when never, on 14+). */
  relpages: number;
  reltuples: number;
  /** Sum of the columns' fixed lengths, 32 bytes for each variable-length one (the planner's default). */
  declaredWidth: number;
}

/** Rows a table of `heapBytes` holds: the analysed density scaled to its current size, else the width guess. */
export function estimateRows(table: TableStatistics, heapBytes: number, blockSize: number): number {
  const pages = Math.ceil(heapBytes / blockSize);
  if (pages === 0) return 0;
  if (table.reltuples >= 0 && table.relpages > 0) return Math.round((table.reltuples / table.relpages) * pages);
  // Never vacuumed or analysed: reltuples is -1 (14+), or 0 with relpages 0 before 14.
  const width = Math.ceil(table.declaredWidth / MAXIMUM_ALIGNMENT) * MAXIMUM_ALIGNMENT;
  const perPage = Math.max(
    1,
    Math.floor((blockSize - PAGE_HEADER_BYTES) / (width + TUPLE_HEADER_BYTES + ITEM_POINTER_BYTES)),
  );
  return perPage * pages;
}
