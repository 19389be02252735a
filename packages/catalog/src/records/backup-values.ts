import type { Insertable, Updateable } from 'kysely';
import type { BackupsTable } from '../database/catalog-schema.js';
import { CatalogWriteError } from '../errors.js';
import { millisecondsBetween, normalizeTime } from '../time/normalize-time.js';
import {
  BACKUP_FORMATS,
  BACKUP_KINDS,
  type BackupInput,
  type BackupOutcome,
  RUN_STATUSES,
  type RunStatus,
  VERIFICATION_KINDS,
  VERIFICATION_RESULTS,
  type Verification,
} from '../types.js';

/** The columns BackupInput sets, checked and normalised. */
export function backupInputColumns(input: BackupInput): Omit<Insertable<BackupsTable>, 'status'> {
  if (!BACKUP_KINDS.includes(input.kind)) throw invalid('kind', input.kind, BACKUP_KINDS);
  if (!BACKUP_FORMATS.includes(input.format)) throw invalid('format', input.format, BACKUP_FORMATS);
  if (input.location === '') throw new CatalogWriteError('a backup needs a location (its path or URI)');
  return {
    database: input.database,
    engine: input.engine,
    host: input.host,
    kind: input.kind,
    format: input.format,
    location: input.location,
    started_at: normalizeTime('startedAt', input.startedAt),
    encrypted: input.encrypted ? 1 : 0,
    compression: input.compression,
    ...(input.parentId !== undefined ? { parent_id: input.parentId } : {}),
  };
}

/**
 * The columns a (partial) outcome sets: only the fields present, so an upsert from an encrypted archive read
 * without its key keeps the table and row counts an earlier, fuller record had. durationMs follows finishedAt.
 */
export function backupOutcomeColumns(outcome: Partial<BackupOutcome>, startedAt: string): Updateable<BackupsTable> {
  const columns: Updateable<BackupsTable> = {};
  if (outcome.finishedAt !== undefined) {
    columns.finished_at = normalizeTime('finishedAt', outcome.finishedAt);
    columns.duration_ms = Math.max(0, millisecondsBetween(startedAt, columns.finished_at));
  }
  if (outcome.bytes !== undefined) columns.bytes = outcome.bytes;
  if (outcome.sha256 !== undefined) columns.sha256 = outcome.sha256;
  if (outcome.consistency !== undefined) {
    columns.consistency = outcome.consistency === null ? null : JSON.stringify(outcome.consistency);
  }
  if (outcome.serverVersion !== undefined) columns.server_version = outcome.serverVersion;
  if (outcome.tables !== undefined) columns.table_count = outcome.tables;
  if (outcome.rows !== undefined) columns.row_count = outcome.rows;
  return columns;
}

export function checkStatus(status: RunStatus): RunStatus {
  if (!RUN_STATUSES.includes(status)) throw invalid('status', status, RUN_STATUSES);
  return status;
}

/** A verification checked and with its time normalised. */
export function normalizeVerification(verification: Verification): Verification {
  if (!VERIFICATION_RESULTS.includes(verification.result)) {
    throw invalid('verification result', verification.result, VERIFICATION_RESULTS);
  }
  if (!VERIFICATION_KINDS.includes(verification.kind)) {
    throw invalid('verification kind', verification.kind, VERIFICATION_KINDS);
  }
  return {
    at: normalizeTime('verification time', verification.at),
    result: verification.result,
    kind: verification.kind,
    detail: verification.detail,
  };
}

function invalid(field: string, value: string, allowed: readonly string[]): CatalogWriteError {
  return new CatalogWriteError(`invalid ${field} '${value}': expected one of ${allowed.join(', ')}`);
}
