import type {
  BackupInput,
  BackupOutcome,
  BackupRecord,
  Catalog,
  RestoreInput,
  RestoreRecord,
  Verification,
} from '@dbbackup/catalog';
import { writeVerificationSidecar } from '@dbbackup/catalog';
import type { CommandContext } from '../cli/command-context.js';
import { openCatalog } from './open-catalog.js';

/**
 * Writes one run (backup, restore, verification) into the catalog. The catalog is a cache of what the archives hold,
 * so a catalog that cannot be opened or written never fails the backup itself: each problem becomes one warning, and
 * `dbbackup catalog sync` can rebuild the entries later.
 */
abstract class CatalogRun<Row extends { id: number }> {
  protected constructor(
    protected readonly context: CommandContext,
    protected readonly catalog: Catalog | undefined,
    protected row: Row | undefined,
  ) {}

  get id(): number | undefined {
    return this.row?.id;
  }

  protected async update(what: string, write: (catalog: Catalog, id: number) => Promise<Row>): Promise<void> {
    if (!this.catalog || !this.row) return;
    try {
      this.row = await write(this.catalog, this.row.id);
    } catch (error) {
      warnCatalog(this.context, `could not record the ${what}`, error);
    }
  }

  async close(): Promise<void> {
    await this.catalog?.close().catch(() => undefined);
  }
}

export class BackupRun extends CatalogRun<BackupRecord> {
  /** Opens the catalog and records the backup as running; undefined-safe: a failure only warns. */
  static async begin(context: CommandContext, input: BackupInput): Promise<BackupRun> {
    const catalog = await tryOpenCatalog(context);
    let row: BackupRecord | undefined;
    if (catalog) {
      try {
        row = await catalog.beginBackup(input);
      } catch (error) {
        warnCatalog(context, 'could not record the backup', error);
      }
    }
    return new BackupRun(context, catalog, row);
  }

  succeeded(outcome: BackupOutcome): Promise<void> {
    return this.update('finished backup', (catalog, id) => catalog.finishBackup(id, outcome));
  }

  failed(error: unknown): Promise<void> {
    return this.update('failed backup', (catalog, id) =>
      catalog.failBackup(id, errorMessage(error), new Date().toISOString()),
    );
  }

  verified(verification: Verification): Promise<void> {
    return this.update('verification', (catalog, id) => catalog.recordVerification(id, verification));
  }

  /**
   * How many backups of this database (same engine, host and kind) failed in a row up to and including this one,
   * for the escalation of notifications; undefined when the catalog could not tell. Runs still going are skipped.
   */
  async consecutiveFailures(): Promise<number | undefined> {
    const row = this.row;
    if (!this.catalog || !row) return undefined;
    try {
      const recent = await this.catalog.listBackups({
        ...(row.database !== null ? { database: row.database } : {}),
        engine: row.engine,
        kind: row.kind,
        limit: 200,
      });
      let failures = 0;
      for (const record of recent) {
        if (record.host !== row.host || record.database !== row.database || record.status === 'running') continue;
        if (record.status !== 'failed') break;
        failures += 1;
      }
      return failures;
    } catch (error) {
      this.context.logger.warn(`could not count the failed backups before this one (${errorMessage(error)})`);
      return undefined;
    }
  }
}

export class RestoreRun extends CatalogRun<RestoreRecord> {
  /** Records the restore as running, linked to the catalog's entry for the archive when there is one. */
  static async begin(context: CommandContext, input: Omit<RestoreInput, 'backupId'>): Promise<RestoreRun> {
    const catalog = await tryOpenCatalog(context);
    let row: RestoreRecord | undefined;
    if (catalog) {
      try {
        const backup = await catalog.findBackupByLocation(input.location);
        row = await catalog.beginRestore({ ...input, backupId: backup?.id ?? null });
      } catch (error) {
        warnCatalog(context, 'could not record the restore', error);
      }
    }
    return new RestoreRun(context, catalog, row);
  }

  succeeded(outcome: { tables: number | null; rows: number | null }): Promise<void> {
    return this.update('finished restore', (catalog, id) =>
      catalog.finishRestore(id, { finishedAt: new Date().toISOString(), ...outcome }),
    );
  }

  failed(error: unknown): Promise<void> {
    return this.update('failed restore', (catalog, id) =>
      catalog.failRestore(id, errorMessage(error), new Date().toISOString()),
    );
  }
}

/**
 * A verification of an existing archive (verify-backup, --verify-restore): written next to the archive as
 * `<archive>.verify.json`, so it survives a rebuilt catalog, and onto the archive's catalog entry when there is one.
 */
export async function recordVerification(
  context: CommandContext,
  archive: { path: string; sha256: string | undefined },
  verification: Verification,
): Promise<void> {
  // A cloud backup (no local sha256) keeps its verification in the catalog only.
  if (archive.sha256 !== undefined)
    await writeSidecar(context, { path: archive.path, sha256: archive.sha256 }, verification);
  const catalog = await tryOpenCatalog(context);
  if (!catalog) return;
  try {
    const backup = await catalog.findBackupByLocation(archive.path);
    if (backup) await catalog.recordVerification(backup.id, verification);
    else context.logger.debug(`${archive.path} is not in the catalog; run dbbackup catalog sync to add it`);
  } catch (error) {
    warnCatalog(context, 'could not record the verification', error);
  } finally {
    await catalog.close().catch(() => undefined);
  }
}

/** `<archive>.verify.json`: the verification kept beside the immutable archive; a failure to write it only warns. */
export async function writeSidecar(
  context: CommandContext,
  archive: { path: string; sha256: string },
  verification: Verification,
): Promise<void> {
  try {
    await writeVerificationSidecar(archive.path, { ...verification, sha256: archive.sha256 });
  } catch (error) {
    context.logger.warn(
      `could not write the verification result next to ${archive.path} (${errorMessage(error)}); the catalog still has it`,
    );
  }
}

async function tryOpenCatalog(context: CommandContext): Promise<Catalog | undefined> {
  try {
    return await openCatalog(context);
  } catch (error) {
    warnCatalog(context, 'the catalog is not updated', error);
    return undefined;
  }
}

function warnCatalog(context: CommandContext, what: string, error: unknown): void {
  context.logger.warn(`${what} (${errorMessage(error)}); run dbbackup catalog sync DIR later to catch up`);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
