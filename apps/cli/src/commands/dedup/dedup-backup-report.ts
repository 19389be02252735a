import type { BackupResult, DedupStore } from '@dbbackup/dedup-store';
import { formatBytes } from '@dbbackup/pipeline';
import { percentOf } from '../../dedup-io/snapshot-document.js';
import { counted } from '../../output/counted.js';
import { renderKeyValues } from '../../output/render-table.js';

/** The JSON document of `dedup backup` (and the start of `dedup backup-db`'s). */
export interface DedupBackupReport {
  store: string;
  /** This backup initialised the store. */
  store_created: boolean;
  encrypted: boolean;
  id: string;
  created: string;
  source: string;
  database: string | null;
  engine: string | null;
  /** Bytes of the backed-up stream (what a restore writes). */
  size: number;
  sha256: string;
  chunks: number;
  /** Chunks the store did not have yet, and their uncompressed bytes: what deduplication could not save. */
  new_chunks: number;
  new_chunk_bytes: number;
  /** Bytes this backup added to the store (compressed packs, index files, manifest). */
  added_bytes: number;
  packs: number;
  duration_ms: number;
}

export function dedupBackupReport(
  store: DedupStore,
  created: boolean,
  result: BackupResult,
  startedAt: number,
): DedupBackupReport {
  const { snapshot } = result;
  return {
    store: store.location,
    store_created: created,
    encrypted: store.encrypted,
    id: snapshot.id,
    created: snapshot.created,
    source: snapshot.source,
    database: snapshot.database,
    engine: snapshot.engine,
    size: snapshot.size,
    sha256: snapshot.sha256,
    chunks: result.chunks,
    new_chunks: result.newChunks,
    new_chunk_bytes: result.newChunkBytes,
    added_bytes: result.addedBytes,
    packs: result.packs,
    duration_ms: Math.round(performance.now() - startedAt),
  };
}

/** The lines every dedup backup prints; `extra` (database, engine, rows ...) goes after the source. */
export function renderDedupBackupReport(
  report: DedupBackupReport,
  extra: ReadonlyArray<readonly [string, string]> = [],
): string {
  const seconds = report.duration_ms / 1000;
  return renderKeyValues([
    ['snapshot', report.id],
    ['source', report.source],
    ...extra,
    ['size', `${formatBytes(report.size)} in ${counted(report.chunks, 'chunk')}`],
    [
      'new',
      `${formatBytes(report.new_chunk_bytes)} in ${counted(report.new_chunks, 'chunk')} (${percentOf(report.new_chunk_bytes, report.size)} of the size)`,
    ],
    [
      'added',
      `${formatBytes(report.added_bytes)} to the store (${percentOf(report.added_bytes, report.size)} of the size)`,
    ],
    ['duration', `${seconds.toFixed(1)} s (${formatBytes(report.size / Math.max(seconds, 0.001))}/s)`],
    ['store', `${report.store}${report.store_created ? ' (new)' : ''}${report.encrypted ? ', encrypted' : ''}`],
  ]);
}
