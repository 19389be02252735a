import type { Kysely, Selectable } from 'kysely';
import type { BackupsTable, CatalogDatabase } from '../database/catalog-schema.js';
import type {
  BackupFormat,
  BackupKind,
  BackupRecord,
  RunStatus,
  Verification,
  VerificationKind,
  VerificationResult,
} from '../types.js';

/** A backups row with its latest verification (columns of the left-joined verifications row, null when none). */
export type BackupRow = Selectable<BackupsTable> & {
  verification_at: string | null;
  verification_result: string | null;
  verification_kind: string | null;
  verification_detail: string | null;
};

/**
 * Backups, each joined with its latest verification: the verifications row whose id the correlated subquery picks
 * (newest `at`, then newest id), found through the (backup_id, at) index.
 */
export function selectBackupRows(db: Kysely<CatalogDatabase>) {
  return db
    .selectFrom('backups as b')
    .leftJoin('verifications as v', (join) =>
      join.on('v.id', '=', (eb) =>
        eb
          .selectFrom('verifications as w')
          .select('w.id')
          .whereRef('w.backup_id', '=', 'b.id')
          .orderBy('w.at', 'desc')
          .orderBy('w.id', 'desc')
          .limit(1),
      ),
    )
    .selectAll('b')
    .select([
      'v.at as verification_at',
      'v.result as verification_result',
      'v.kind as verification_kind',
      'v.detail as verification_detail',
    ]);
}

export function toBackupRecord(row: BackupRow): BackupRecord {
  return {
    id: row.id,
    database: row.database,
    engine: row.engine,
    host: row.host,
    kind: row.kind as BackupKind,
    format: row.format as BackupFormat,
    location: row.location,
    startedAt: row.started_at,
    encrypted: row.encrypted === 1,
    compression: row.compression,
    parentId: row.parent_id,
    status: row.status as RunStatus,
    error: row.error,
    finishedAt: row.finished_at,
    durationMs: row.duration_ms,
    bytes: row.bytes,
    sha256: row.sha256,
    consistency: row.consistency === null ? null : (JSON.parse(row.consistency) as Record<string, unknown>),
    serverVersion: row.server_version,
    tables: row.table_count,
    rows: row.row_count,
    verification: toVerification(row),
  };
}

function toVerification(row: BackupRow): Verification | null {
  if (row.verification_at === null) return null;
  return {
    at: row.verification_at,
    result: row.verification_result as VerificationResult,
    kind: row.verification_kind as VerificationKind,
    detail: row.verification_detail,
  };
}
