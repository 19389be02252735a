import type { GcReport } from '@dbbackup/dedup-store';
import { formatBytes } from '@dbbackup/pipeline';
import { counted } from '../../output/counted.js';

/** gc's report in the CLI's JSON (`dedup gc`, and `gc` inside `dedup prune`'s document). */
export interface GcReportDocument {
  dry_run: boolean;
  snapshots: number;
  live_blobs: number;
  packs_before: number;
  packs_after: number;
  packs_deleted: number;
  packs_repacked: number;
  unindexed_packs_deleted: number;
  packs_written: number;
  bytes_repacked: number;
  bytes_before: number;
  bytes_after: number;
  /** Bytes of packs and index files removed (a dry run: would be). */
  freed_bytes: number;
}

export function gcReportDocument(report: GcReport): GcReportDocument {
  return {
    dry_run: report.dryRun,
    snapshots: report.snapshots,
    live_blobs: report.liveBlobs,
    packs_before: report.packsBefore,
    packs_after: report.packsAfter,
    packs_deleted: report.packsDeleted,
    packs_repacked: report.packsRepacked,
    unindexed_packs_deleted: report.unindexedPacksDeleted,
    packs_written: report.packsWritten,
    bytes_repacked: report.bytesRepacked,
    bytes_before: report.bytesBefore,
    bytes_after: report.bytesAfter,
    freed_bytes: report.freedBytes,
  };
}

/** `freed 12.3 MB: 3 packs deleted, 1 repacked (4.1 MB copied); 48.2 MB → 35.9 MB` ("would free" in a dry run). */
export function describeGc(report: GcReportDocument): string {
  const unindexed = report.unindexed_packs_deleted > 0 ? `, ${report.unindexed_packs_deleted} unindexed` : '';
  const copied = report.packs_repacked > 0 ? ` (${formatBytes(report.bytes_repacked)} copied)` : '';
  return `${report.dry_run ? 'would free' : 'freed'} ${formatBytes(report.freed_bytes)}: ${counted(report.packs_deleted, 'pack')} deleted${unindexed}, ${report.packs_repacked} repacked${copied}; ${formatBytes(report.bytes_before)} → ${formatBytes(report.bytes_after)}`;
}
