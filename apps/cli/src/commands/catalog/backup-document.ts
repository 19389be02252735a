import type { BackupRecord, Verification } from '@dbbackup/catalog';

/** One backup in the catalog commands' JSON (snake_case, as every dbbackup JSON document). */
export interface BackupDocument {
  id: number;
  database: string | null;
  engine: string;
  host: string | null;
  kind: string;
  format: string;
  location: string;
  status: string;
  error: string | null;
  started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
  bytes: number | null;
  sha256: string | null;
  encrypted: boolean;
  compression: string;
  server_version: string | null;
  tables: number | null;
  rows: number | null;
  consistency: Record<string, unknown> | null;
  parent_id: number | null;
  /** The latest verification. */
  verification: Verification | null;
}

export function backupDocument(record: BackupRecord): BackupDocument {
  return {
    id: record.id,
    database: record.database,
    engine: record.engine,
    host: record.host,
    kind: record.kind,
    format: record.format,
    location: record.location,
    status: record.status,
    error: record.error,
    started_at: record.startedAt,
    finished_at: record.finishedAt,
    duration_ms: record.durationMs,
    bytes: record.bytes,
    sha256: record.sha256,
    encrypted: record.encrypted,
    compression: record.compression,
    server_version: record.serverVersion,
    tables: record.tables,
    rows: record.rows,
    consistency: record.consistency,
    parent_id: record.parentId,
    verification: record.verification,
  };
}
