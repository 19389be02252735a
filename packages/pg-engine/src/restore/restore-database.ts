import type { RestoreMode, RestoreOptions, RestoreResult } from '@dbbackup/archive';
import { ProgressReporter, runParallel } from '@dbbackup/engine-kit';
import type pg from 'pg';
import type { ArchivedTable } from '../archive-layout.js';
import { selectDatabaseArchive } from '../cluster/cluster-layout.js';
import { applyDatabaseProperties } from '../cluster/database-properties.js';
import { Cancellation } from '../connection/cancellation.js';
import { closeQuietly, connect, DEFAULT_MAINTENANCE_DATABASE } from '../connection/connect.js';
import { resolveTarget } from '../connection/connection-target.js';
import {
  LOCKS_PER_SCHEMA_OBJECT,
  type LockCapacity,
  objectsPerTransaction,
  readLockCapacity,
  translateLockTableFull,
} from '../connection/lock-capacity.js';
import { requireSupportedServer } from '../connection/server-version.js';
import {
  CleanRequiresConfirmError,
  DatabaseNotFoundError,
  IncompleteRestoreError,
  OperationAbortedError,
  TargetNotEmptyError,
} from '../errors.js';
import { type PostDataItem, splitSequenceValues } from '../schema/index.js';
import { createDatabase, dropDatabase } from './create-database.js';
import { restoreLargeObject } from './large-objects.js';
import { runPostDataPass, runRemainingInOrder } from './post-data.js';
import { restorePreData } from './pre-data.js';
import { planRestore, type RestorePlan } from './restore-plan.js';
import { defaultMaintenanceWorkMemMb, openRestoreSession } from './restore-session.js';
import { targetState } from './target-state.js';
import { runTier } from './tier-scheduler.js';
import { assertLogged, setLogged, setUnlogged } from './turbo-persistence.js';

export interface PgRestoreOptions extends RestoreOptions {
  /** maintenance_work_mem for index builds, in MB (default: a quarter of RAM / jobs, 64..512). */
  maintenanceWorkMemMb?: number;
  /**
   * Apply the source database's owner, comment, privileges, flags and settings to the target at the end (default:
   * when `create`). verify-restore turns it off; a cluster restore turns it on for databases that already existed.
   */
  databaseProperties?: boolean;
}

/**
 * Restores a PostgreSQL archive: checks everything that can be checked before touching the target, creates or
 * prepares it, then pre-data (in transactions of a bounded number of objects), data with parallel COPY FROM (one
 * transaction per member, biggest first), large objects, sequence values, indexes and constraints in parallel,
 * foreign keys, the rest of post-data, ANALYZE, and (for a database it created) the source database's properties.
 * A database this restore created is dropped again if anything fails or the operation is aborted.
 */
export async function restoreDatabase(options: PgRestoreOptions): Promise<RestoreResult> {
  const startedAt = Date.now();
  const mode: RestoreMode = options.mode ?? 'safe';
  const jobs = Math.max(1, Math.floor(options.jobs ?? 1));
  const { reader, logger, connection, database } = options;
  const archive = selectDatabaseArchive(reader.manifest, options.sourceDatabase);
  if (options.clean && !options.confirm) throw new CleanRequiresConfirmError(database);
  const cancellation = new Cancellation(options.signal);
  if (cancellation.aborted) throw abortedRestore(database, 'untouched', cancellation.reason);
  const progress = new ProgressReporter(options.onProgress);
  progress.phase('connect');

  // Not tracked by the cancellation: it drops the database after an abort.
  const admin = await connect(connection, connection.database ?? DEFAULT_MAINTENANCE_DATABASE, logger);
  const sessions: pg.Client[] = [];
  let created = false;
  let touched = false;
  let versionNum = 0;
  let batchObjects = 0;
  let capacity: LockCapacity | undefined;
  try {
    versionNum = (await requireSupportedServer(admin)).versionNum;
    capacity = await readLockCapacity(admin);
    batchObjects = objectsPerTransaction(capacity);
    cancellation.throwIfAborted();
    if (options.create) {
      await createDatabase(admin, database, archive.extra.database, versionNum);
      created = true;
    } else {
      await refuseUnsuitableTarget(options, cancellation);
    }
    cancellation.throwIfAborted();

    const maintenanceWorkMemMb = options.maintenanceWorkMemMb ?? defaultMaintenanceWorkMemMb(jobs);
    for (let i = 0; i < jobs; i++) {
      sessions.push(await openRestoreSession(connection, database, mode, maintenanceWorkMemMb, logger, cancellation));
    }
    const main = sessions[0]!;

    progress.phase('schema');
    const preData = await reader.readMemberText(archive.preData);
    touched = true;
    await restorePreData(main, preData, {
      clean: options.clean === true,
      serverVersionNum: versionNum,
      objectsPerTransaction: batchObjects,
    });

    const postData = JSON.parse(await reader.readMemberText(archive.postData)) as PostDataItem[];
    const plan = planRestore(archive, options.criticalTables ?? [], jobs);
    const completed = new Set<string>();
    const unlogged = mode === 'turbo' ? turboCandidates(plan) : [];
    if (unlogged.length > 0) await setUnlogged(main, unlogged);

    progress.phase('data', {
      tablesTotal: plan.tablesWithData.length,
      bytesTotal: archive.dataMembers.reduce((sum, entry) => sum + entry.plainSize, 0),
    });
    let criticalReadyMs: number | null = null;
    const unloggedNames = new Set(unlogged.map((table) => table.qualifiedName));
    const partitionParents = new Set(
      archive.extra.tables.filter((table) => table.isPartitionParent).map((table) => table.qualifiedName),
    );
    for (const tier of plan.tiers) {
      await runTier({
        clients: sessions,
        reader,
        units: tier.units,
        postData,
        completed,
        select: tier.selectIndexes,
        partitionParents,
        tableBytes: plan.tableBytes,
        // SET LOGGED before the table's index builds: it rewrites the table and would rebuild indexes built earlier.
        afterTableLoaded: async (table, client) => {
          if (unloggedNames.has(table.qualifiedName)) await setLogged(client, table);
        },
        onMember: (entry) => progress.add(entry.rows ?? 0, entry.plainSize),
        onTableLoaded: () => progress.tableDone(),
      });
      progress.flush();
      if (criticalReadyMs === null && plan.critical.length > 0) {
        criticalReadyMs = Date.now() - startedAt;
        logger?.info('critical tables restored with their indexes', { ms: criticalReadyMs });
      }
    }

    progress.phase('large-objects');
    await runParallel(archive.largeObjects, jobs, async (entry, slot) => {
      progress.add(0, await restoreLargeObject(sessions[slot]!, reader, entry, logger));
    });
    if (archive.sequenceValues) {
      await restoreSequenceValues(main, await reader.readMemberText(archive.sequenceValues), batchObjects);
    }

    progress.phase('post-data');
    await runPostDataPass(sessions, postData, completed, (item) => item.kind === 'foreign-key', plan.tableBytes);
    await runRemainingInOrder(main, postData, completed);
    if (unlogged.length > 0) await assertLogged(main, unlogged);

    progress.phase('analyze');
    await runParallel(archive.extra.tables, jobs, (table, slot) =>
      sessions[slot]!.query(`ANALYZE ${table.qualifiedName}`).then(() => undefined),
    );
    cancellation.throwIfAborted();
    const warnings: string[] = [];
    const properties = archive.extra.database.properties;
    if ((options.databaseProperties ?? created) && properties) {
      warnings.push(...(await applyDatabaseProperties(admin, database, properties, versionNum, logger)));
    }
    progress.phase('done');
    return {
      database,
      created,
      mode,
      tables: plan.tablesWithData.length,
      rows: archive.dataMembers.reduce((sum, entry) => sum + (entry.rows ?? 0), 0),
      dataBytes: archive.dataMembers.reduce((sum, entry) => sum + entry.plainSize, 0),
      durationMs: Date.now() - startedAt,
      criticalTables: plan.critical.map((table) => `${table.schema}.${table.name}`),
      criticalReadyMs,
      warnings,
    };
  } catch (error) {
    const aborted = cancellation.aborted;
    await Promise.all(sessions.map(closeQuietly));
    // A backend still busy with a statement (an index build) would otherwise outlive the restore.
    if (aborted) await cancellation.terminateBackends(connection);
    let dropFailure: unknown;
    if (created) {
      await dropDatabase(admin, database, versionNum).catch((dropError: unknown) => {
        dropFailure = dropError;
        logger?.warn('could not drop the partially restored database', { database, error: String(dropError) });
      });
    }
    if (aborted) {
      const state = created ? (dropFailure === undefined ? 'dropped' : 'left') : touched ? 'incomplete' : 'untouched';
      throw abortedRestore(database, state, cancellation.reason);
    }
    const failure = translateLockTableFull(
      error,
      `restore into "${database}"`,
      `it creates the schema ${batchObjects} objects per transaction`,
      capacity,
      batchObjects * LOCKS_PER_SCHEMA_OBJECT,
    );
    if (created) throw failure;
    if (touched) throw new IncompleteRestoreError(database, failure);
    throw failure;
  } finally {
    cancellation.dispose();
    await Promise.all(sessions.map(closeQuietly));
    await closeQuietly(admin);
  }
}

/** What an aborted restore left behind, in its error message. */
function abortedRestore(
  database: string,
  state: 'untouched' | 'dropped' | 'left' | 'incomplete',
  reason: unknown,
): OperationAbortedError {
  const outcomes = {
    untouched: [`restore into "${database}"`, 'nothing was changed'],
    dropped: [`restore of database "${database}"`, 'the database it had created was dropped'],
    left: [
      `restore of database "${database}"`,
      `the database it had created could not be dropped; drop it with DROP DATABASE "${database}"`,
    ],
    incomplete: [
      `restore into existing database "${database}"`,
      'its open transactions were rolled back, but the target is incomplete and must be restored again',
    ],
  } as const;
  const [operation, outcome] = outcomes[state];
  return new OperationAbortedError(operation, outcome, { cause: reason });
}

/**
 * Without create, the target must exist and, unless --confirm, hold no user objects: decided by targetState, the
 * function a dry run asks too. Checked before anything changes.
 */
async function refuseUnsuitableTarget(options: PgRestoreOptions, cancellation: Cancellation): Promise<void> {
  const state = await targetState(options.connection, options.database, { logger: options.logger, cancellation });
  if (!state.exists) throw new DatabaseNotFoundError(options.database, resolveTarget(options.connection).description);
  if (!state.empty && !options.confirm) throw new TargetNotEmptyError(options.database, state.objects, state.summary);
}

/**
 * The archive's setval statements, committed in batches (each locks its sequence until COMMIT, and a multi-statement
 * query is one transaction). Text in an unexpected shape runs as one query, as it always did.
 */
async function restoreSequenceValues(client: pg.Client, script: string, perTransaction: number): Promise<void> {
  const statements = splitSequenceValues(script);
  if (statements === null) {
    await client.query(script);
    return;
  }
  for (let start = 0; start < statements.length; start += perTransaction) {
    await client.query(statements.slice(start, start + perTransaction).join(''));
  }
}

/** turbo: permanent plain tables with data are loaded UNLOGGED and switched back afterwards. */
function turboCandidates(plan: RestorePlan): ArchivedTable[] {
  return plan.tablesWithData.filter((table) => table.relkind === 'r' && table.persistence === 'p');
}
