import type { BackupRecord } from '../types.js';

/** One exported column: a name and the record's value as text (empty when unknown). */
export interface ExportColumn {
  name: string;
  value: (record: BackupRecord) => string;
}

const text = (value: string | number | boolean | null | undefined): string =>
  value === null || value === undefined ? '' : String(value);

/** The columns of `catalog export --format csv`, in order: everything the catalog knows of a backup. */
export const EXPORT_COLUMNS: readonly ExportColumn[] = [
  { name: 'id', value: (record) => text(record.id) },
  { name: 'database', value: (record) => text(record.database) },
  { name: 'engine', value: (record) => record.engine },
  { name: 'host', value: (record) => text(record.host) },
  { name: 'kind', value: (record) => record.kind },
  { name: 'format', value: (record) => record.format },
  { name: 'status', value: (record) => record.status },
  { name: 'started_at', value: (record) => record.startedAt },
  { name: 'finished_at', value: (record) => text(record.finishedAt) },
  { name: 'duration_ms', value: (record) => text(record.durationMs) },
  { name: 'bytes', value: (record) => text(record.bytes) },
  { name: 'sha256', value: (record) => text(record.sha256) },
  { name: 'encrypted', value: (record) => text(record.encrypted) },
  { name: 'compression', value: (record) => record.compression },
  { name: 'server_version', value: (record) => text(record.serverVersion) },
  { name: 'tables', value: (record) => text(record.tables) },
  { name: 'rows', value: (record) => text(record.rows) },
  { name: 'verification', value: (record) => text(record.verification?.result) },
  { name: 'verification_kind', value: (record) => text(record.verification?.kind) },
  { name: 'verified_at', value: (record) => text(record.verification?.at) },
  { name: 'verification_detail', value: (record) => text(record.verification?.detail) },
  { name: 'error', value: (record) => text(record.error) },
  { name: 'parent_id', value: (record) => text(record.parentId) },
  { name: 'consistency', value: (record) => (record.consistency === null ? '' : JSON.stringify(record.consistency)) },
  { name: 'location', value: (record) => record.location },
];
