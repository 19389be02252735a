import type { Selectable } from 'kysely';
import type { RestoresTable } from '../database/catalog-schema.js';
import type { RestoreRecord, RunStatus } from '../types.js';

export function toRestoreRecord(row: Selectable<RestoresTable>): RestoreRecord {
  return {
    id: row.id,
    backupId: row.backup_id,
    location: row.location,
    database: row.database,
    engine: row.engine,
    host: row.host,
    startedAt: row.started_at,
    status: row.status as RunStatus,
    error: row.error,
    finishedAt: row.finished_at,
    durationMs: row.duration_ms,
    tables: row.table_count,
    rows: row.row_count,
  };
}
