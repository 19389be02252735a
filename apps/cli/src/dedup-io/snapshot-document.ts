import type { SnapshotInfo } from '@dbbackup/dedup-store';

/** One snapshot in the CLI's JSON (`dedup list`, `dedup delete`, `dedup prune`): the manifest's fields, snake_case. */
export interface SnapshotDocument {
  id: string;
  created: string;
  finished: string;
  source: string;
  database: string | null;
  engine: string | null;
  hostname: string;
  size: number;
  sha256: string;
  chunk_count: number;
  tags: string[];
  meta: Record<string, string>;
}

export function snapshotDocument(snapshot: SnapshotInfo): SnapshotDocument {
  return {
    id: snapshot.id,
    created: snapshot.created,
    finished: snapshot.finished,
    source: snapshot.source,
    database: snapshot.database,
    engine: snapshot.engine,
    hostname: snapshot.hostname,
    size: snapshot.size,
    sha256: snapshot.sha256,
    chunk_count: snapshot.chunkCount,
    tags: snapshot.tags,
    meta: snapshot.meta,
  };
}

/** How tables show a snapshot id: its first 8 hex digits, which any command accepts as a prefix (restic's habit). */
export function shortSnapshotId(id: string): string {
  return id.slice(0, 8);
}

/** `2026-03-01 02:00:05Z`: an ISO time to the second, for tables. */
export function tableTime(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

/** `12.5 %` of `whole`, one decimal; '-' when the whole is empty. */
export function percentOf(part: number, whole: number): string {
  return whole > 0 ? `${((part / whole) * 100).toFixed(1)} %` : '-';
}
