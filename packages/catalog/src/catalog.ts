import { resolve } from 'node:path';
import type { Kysely } from 'kysely';
import type { CatalogDatabase } from './database/catalog-schema.js';
import { immediateTransaction } from './database/immediate-transaction.js';
import { openCatalogDatabase } from './database/open-database.js';
import { openCatalogDatabaseReadOnly } from './database/open-read-only-database.js';
import { CatalogRecordNotFoundError, CatalogWriteError } from './errors.js';
import { queryDatabaseStatus } from './queries/database-status-query.js';
import { findGaps, type GapInput } from './queries/find-gaps.js';
import { queryStats } from './queries/stats-query.js';
import { selectBackupRows, toBackupRecord } from './records/backup-rows.js';
import {
  backupInputColumns,
  backupOutcomeColumns,
  checkStatus,
  normalizeVerification,
} from './records/backup-values.js';
import { toRestoreRecord } from './records/restore-rows.js';
import { millisecondsBetween, normalizeTime } from './time/normalize-time.js';
import type {
  BackupFilter,
  BackupGap,
  BackupInput,
  BackupOutcome,
  BackupRecord,
  BackupUpsert,
  CatalogStats,
  DatabaseStatus,
  GapOptions,
  RestoreFilter,
  RestoreInput,
  RestoreRecord,
  Verification,
} from './types.js';

/**
 * The backup catalog: one SQLite file (default ~/.dbbackup/catalog.db) recording every backup, its verifications and
 * the restores made from it. It is a cache of what the archives themselves hold: `syncDirectory` rebuilds it.
 *
 * Several processes may use one file at once (a cron backup while someone runs `catalog list`): WAL mode lets
 * readers and the one writer proceed together, and writers queue for up to 15 s (busy_timeout).
 */
export class Catalog {
  readonly path: string;
  /** Opened with openReadOnly: every write is refused by SQLite (SQLITE_READONLY). */
  readonly readOnly: boolean;
  readonly #db: Kysely<CatalogDatabase>;

  private constructor(path: string, db: Kysely<CatalogDatabase>, readOnly: boolean) {
    this.path = path;
    this.#db = db;
    this.readOnly = readOnly;
  }

  /**
   * Opens the catalog, creating the file and its directory (mode 0700) when absent and bringing its schema up to
   * date. Throws CatalogOpenError (path and the fix: --catalog PATH) or CatalogVersionError.
   */
  static async open(path: string): Promise<Catalog> {
    const absolute = path === ':memory:' ? path : resolve(path);
    const { db } = await openCatalogDatabase(absolute);
    return new Catalog(absolute, db, false);
  }

  /**
   * Opens an existing catalog for reading only (the metrics exporter): nothing is created or migrated, and it reads
   * while other processes write (WAL). Throws CatalogOpenError when the file is missing, is not a catalog or has
   * not been created or updated by this version yet (the message says which command fixes it), and
   * CatalogVersionError when a newer dbbackup wrote it. Write methods fail with SQLite's SQLITE_READONLY.
   */
  static async openReadOnly(path: string): Promise<Catalog> {
    const absolute = path === ':memory:' ? path : resolve(path);
    const { db } = await openCatalogDatabaseReadOnly(absolute);
    return new Catalog(absolute, db, true);
  }

  /** Records a backup that is starting (status 'running'); finish it with finishBackup or failBackup. */
  async beginBackup(input: BackupInput): Promise<BackupRecord> {
    const columns = backupInputColumns(input);
    const inserted = await this.#writeBackup(columns.location, () =>
      this.#db
        .insertInto('backups')
        .values({ ...columns, status: 'running' })
        .returning('id')
        .executeTakeFirstOrThrow(),
    );
    return this.#requireBackup(inserted.id);
  }

  /** Marks a backup successful with what it produced; durationMs is finishedAt - startedAt. */
  async finishBackup(id: number, outcome: BackupOutcome): Promise<BackupRecord> {
    const existing = await this.#requireBackup(id);
    await this.#db
      .updateTable('backups')
      .set({ ...backupOutcomeColumns(outcome, existing.startedAt), status: 'success', error: null })
      .where('id', '=', id)
      .execute();
    return this.#requireBackup(id);
  }

  async failBackup(id: number, error: string, finishedAt: string): Promise<BackupRecord> {
    const existing = await this.#requireBackup(id);
    const finished = normalizeTime('finishedAt', finishedAt);
    await this.#db
      .updateTable('backups')
      .set({
        status: 'failed',
        error,
        finished_at: finished,
        duration_ms: Math.max(0, millisecondsBetween(existing.startedAt, finished)),
      })
      .where('id', '=', id)
      .execute();
    return this.#requireBackup(id);
  }

  /**
   * Inserts or updates the backup at `input.location` (what `catalog sync` does for each archive found). Outcome
   * fields left undefined keep their stored value; `verification` (and the older `verifications`, an addition to
   * the draft) are added to the history unless an identical entry is already there, and a stored verification is
   * kept when the input carries none.
   */
  async upsertBackup(
    input: BackupUpsert & { verifications?: readonly Verification[] },
  ): Promise<{ record: BackupRecord; created: boolean }> {
    const columns = backupInputColumns(input);
    const status = checkStatus(input.status);
    const outcome = backupOutcomeColumns(input, columns.started_at);
    const verifications = [...(input.verifications ?? []), ...(input.verification ? [input.verification] : [])].map(
      normalizeVerification,
    );
    const { id, created } = await this.#writeBackup(columns.location, () =>
      immediateTransaction(this.#db, async (transaction) => {
        const existing = await transaction
          .selectFrom('backups')
          .select('id')
          .where('location', '=', columns.location)
          .executeTakeFirst();
        const values = { ...columns, ...outcome, status, ...(status === 'success' ? { error: null } : {}) };
        let id: number;
        if (existing) {
          await transaction.updateTable('backups').set(values).where('id', '=', existing.id).execute();
          id = existing.id;
        } else {
          id = (await transaction.insertInto('backups').values(values).returning('id').executeTakeFirstOrThrow()).id;
        }
        for (const verification of verifications) await insertVerificationOnce(transaction, id, verification);
        return { id, created: existing === undefined };
      }),
    );
    return { record: await this.#requireBackup(id), created };
  }

  /** Adds a verification to the backup's history; the record's `verification` becomes the latest by time. */
  async recordVerification(id: number, verification: Verification): Promise<BackupRecord> {
    await this.#requireBackup(id);
    const checked = normalizeVerification(verification);
    await this.#db
      .insertInto('verifications')
      .values({ backup_id: id, at: checked.at, result: checked.result, kind: checked.kind, detail: checked.detail })
      .execute();
    return this.#requireBackup(id);
  }

  /** Added to the draft: every verification of a backup, oldest first (for `catalog info`). */
  async verificationHistory(id: number): Promise<Verification[]> {
    const rows = await this.#db
      .selectFrom('verifications')
      .select(['at', 'result', 'kind', 'detail'])
      .where('backup_id', '=', id)
      .orderBy('at')
      .orderBy('id')
      .execute();
    return rows.map((row) => ({
      at: row.at,
      result: row.result as Verification['result'],
      kind: row.kind as Verification['kind'],
      detail: row.detail,
    }));
  }

  async beginRestore(input: RestoreInput): Promise<RestoreRecord> {
    const inserted = await this.#db
      .insertInto('restores')
      .values({
        backup_id: input.backupId,
        location: input.location,
        database: input.database,
        engine: input.engine,
        host: input.host,
        started_at: normalizeTime('startedAt', input.startedAt),
        status: 'running',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
      .catch((error: unknown) => {
        if (constraintCode(error) === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
          throw new CatalogWriteError(`the catalog has no backup with id ${input.backupId} to restore from`, {
            cause: error,
          });
        }
        throw error;
      });
    return this.#requireRestore(inserted.id);
  }

  async finishRestore(
    id: number,
    outcome: { finishedAt: string; tables: number | null; rows: number | null },
  ): Promise<RestoreRecord> {
    const existing = await this.#requireRestore(id);
    const finished = normalizeTime('finishedAt', outcome.finishedAt);
    await this.#db
      .updateTable('restores')
      .set({
        status: 'success',
        error: null,
        finished_at: finished,
        duration_ms: Math.max(0, millisecondsBetween(existing.startedAt, finished)),
        table_count: outcome.tables,
        row_count: outcome.rows,
      })
      .where('id', '=', id)
      .execute();
    return this.#requireRestore(id);
  }

  async failRestore(id: number, error: string, finishedAt: string): Promise<RestoreRecord> {
    const existing = await this.#requireRestore(id);
    const finished = normalizeTime('finishedAt', finishedAt);
    await this.#db
      .updateTable('restores')
      .set({
        status: 'failed',
        error,
        finished_at: finished,
        duration_ms: Math.max(0, millisecondsBetween(existing.startedAt, finished)),
      })
      .where('id', '=', id)
      .execute();
    return this.#requireRestore(id);
  }

  async getBackup(id: number): Promise<BackupRecord | undefined> {
    const row = await selectBackupRows(this.#db).where('b.id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toBackupRecord(row);
  }

  async findBackupByLocation(location: string): Promise<BackupRecord | undefined> {
    const row = await selectBackupRows(this.#db).where('b.location', '=', location).executeTakeFirst();
    return row === undefined ? undefined : toBackupRecord(row);
  }

  /**
   * Removes a backup's record (after its file was deleted, e.g. by `cleanup`) with its verification history.
   * Restores made from it keep their row, with `backupId` null, and backups naming it as parent lose that link: the
   * history of what was restored outlives the backup. Throws CatalogRecordNotFoundError for an unknown id.
   */
  async deleteBackup(id: number): Promise<void> {
    await this.#requireBackup(id);
    // The foreign keys say the same (cascade / set null); done explicitly so the outcome does not depend on them.
    await immediateTransaction(this.#db, async (transaction) => {
      await transaction.deleteFrom('verifications').where('backup_id', '=', id).execute();
      await transaction.updateTable('restores').set({ backup_id: null }).where('backup_id', '=', id).execute();
      await transaction.updateTable('backups').set({ parent_id: null }).where('parent_id', '=', id).execute();
      await transaction.deleteFrom('backups').where('id', '=', id).execute();
    });
  }

  /** Newest first unless `order: 'oldest'`; `after` is inclusive, `before` exclusive (both on startedAt). */
  async listBackups(filter: BackupFilter = {}): Promise<BackupRecord[]> {
    let query = selectBackupRows(this.#db);
    if (filter.database !== undefined) query = query.where('b.database', '=', filter.database);
    if (filter.kind !== undefined) query = query.where('b.kind', '=', filter.kind);
    if (filter.engine !== undefined) query = query.where('b.engine', '=', filter.engine);
    if (filter.status !== undefined) query = query.where('b.status', '=', filter.status);
    if (filter.after !== undefined) query = query.where('b.started_at', '>=', normalizeTime('after', filter.after));
    if (filter.before !== undefined) query = query.where('b.started_at', '<', normalizeTime('before', filter.before));
    const direction = filter.order === 'oldest' ? 'asc' : 'desc';
    query = query.orderBy('b.started_at', direction).orderBy('b.id', direction);
    if (filter.limit !== undefined) query = query.limit(Math.max(0, Math.floor(filter.limit)));
    return (await query.execute()).map(toBackupRecord);
  }

  /** Newest first. */
  async listRestores(filter: RestoreFilter = {}): Promise<RestoreRecord[]> {
    let query = this.#db.selectFrom('restores').selectAll();
    if (filter.database !== undefined) query = query.where('database', '=', filter.database);
    if (filter.backupId !== undefined) query = query.where('backup_id', '=', filter.backupId);
    query = query.orderBy('started_at', 'desc').orderBy('id', 'desc');
    if (filter.limit !== undefined) query = query.limit(Math.max(0, Math.floor(filter.limit)));
    return (await query.execute()).map(toRestoreRecord);
  }

  /**
   * One entry per (engine, host, database): its newest backup and its newest successful one. Sample backups are left
   * out: a reduced copy for development does not make a database's backups fresh.
   */
  async databaseStatus(): Promise<DatabaseStatus[]> {
    const groups = await queryDatabaseStatus(this.#db);
    const ids = [...new Set(groups.flatMap((group) => [group.lastId, group.lastSuccessId ?? group.lastId]))];
    const records = new Map<number, BackupRecord>();
    for (let start = 0; start < ids.length; start += 500) {
      const rows = await selectBackupRows(this.#db)
        .where('b.id', 'in', ids.slice(start, start + 500))
        .execute();
      for (const row of rows) records.set(row.id, toBackupRecord(row));
    }
    return groups.map((group) => ({
      database: group.database,
      engine: group.engine,
      host: group.host,
      lastBackup: records.get(group.lastId)!,
      lastSuccess: group.lastSuccessId === null ? null : records.get(group.lastSuccessId)!,
    }));
  }

  async stats(): Promise<CatalogStats> {
    return queryStats(this.#db);
  }

  /** See findGaps: per (engine, database), successes further apart than the interval, and a trailing gap to now. */
  async gaps(options: GapOptions): Promise<BackupGap[]> {
    if (!(options.intervalMs > 0)) throw new CatalogWriteError('the gap interval must be a positive duration');
    // Samples are reduced development copies, not backups a gap could be closed by.
    let query = this.#db
      .selectFrom('backups')
      .select(['database', 'engine', 'started_at', 'status'])
      .where('kind', '<>', 'sample');
    if (options.database !== undefined) query = query.where('database', '=', options.database);
    const rows = await query.execute();
    const inputs: GapInput[] = rows.map((row) => ({
      database: row.database,
      engine: row.engine,
      startedAt: row.started_at,
      status: row.status as GapInput['status'],
    }));
    return findGaps(inputs, options.intervalMs, options.now ?? new Date());
  }

  /** Closes the file; the catalog cannot be used afterwards. */
  async close(): Promise<void> {
    await this.#db.destroy();
  }

  async #requireBackup(id: number): Promise<BackupRecord> {
    const record = await this.getBackup(id);
    if (record === undefined) throw new CatalogRecordNotFoundError('backup', id);
    return record;
  }

  async #requireRestore(id: number): Promise<RestoreRecord> {
    const row = await this.#db.selectFrom('restores').selectAll().where('id', '=', id).executeTakeFirst();
    if (row === undefined) throw new CatalogRecordNotFoundError('restore', id);
    return toRestoreRecord(row);
  }

  /** Turns the constraint failures of a backups write into CatalogWriteErrors that say what to do. */
  async #writeBackup<T>(location: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      const code = constraintCode(error);
      if (code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new CatalogWriteError(
          `the catalog already has a backup at ${location}; backups are never overwritten, so choose another file name`,
          { cause: error },
        );
      }
      if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
        throw new CatalogWriteError(`the parent backup of ${location} is not in the catalog`, { cause: error });
      }
      throw error;
    }
  }
}

async function insertVerificationOnce(
  transaction: Kysely<CatalogDatabase>,
  backupId: number,
  verification: Verification,
): Promise<void> {
  const present = await transaction
    .selectFrom('verifications')
    .select('id')
    .where('backup_id', '=', backupId)
    .where('at', '=', verification.at)
    .where('kind', '=', verification.kind)
    .where('result', '=', verification.result)
    .executeTakeFirst();
  if (present) return;
  await transaction
    .insertInto('verifications')
    .values({
      backup_id: backupId,
      at: verification.at,
      result: verification.result,
      kind: verification.kind,
      detail: verification.detail,
    })
    .execute();
}

function constraintCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
