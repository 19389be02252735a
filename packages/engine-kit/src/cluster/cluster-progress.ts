import type { EngineProgress, ProgressCallback } from '@dbbackup/archive';

/** What the databases handled so far added up to. */
export interface ProgressOffsets {
  tablesDone: number;
  rows: number;
  bytes: number;
}

/**
 * Progress of one database of a cluster shifted by what the databases before it did, so the counters the app sees
 * keep growing over the whole cluster (totals are known one database at a time). The per-database 'done' is
 * swallowed; the cluster operation reports its own at the end.
 */
export function progressWithOffsets(
  callback: ProgressCallback | undefined,
  offsets: ProgressOffsets,
): ProgressCallback | undefined {
  if (!callback) return undefined;
  const base = { ...offsets };
  return (progress: EngineProgress) => {
    if (progress.phase === 'done') return;
    callback({
      ...progress,
      tablesDone: base.tablesDone + progress.tablesDone,
      tablesTotal: base.tablesDone + progress.tablesTotal,
      rows: base.rows + progress.rows,
      bytes: base.bytes + progress.bytes,
      bytesTotal: progress.bytesTotal === null ? null : base.bytes + progress.bytesTotal,
    });
  };
}
