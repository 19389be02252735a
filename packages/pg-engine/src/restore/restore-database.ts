import type { RestoreMode, RestoreOptions, RestoreResult } from '@dbbackup/archive';
import type pg from 'pg';
import { type ArchivedTable, tableKey } from '../archive-layout.js';
import { selectDatabaseArchive } from '../cluster/cluster-layout.js';
import { applyDatabaseProperties } from '../cluster/database-properties.js';
import { closeQuietly, connect, DEFAULT_MAINTENANCE_DATABASE } from '../connection/connect.js';
import { requireSupportedServer } from '../connection/server-version.js';
import { CleanRequiresConfirmError, IncompleteRestoreError, TargetNotEmptyError } from '../errors.js';
import type { PostDataItem } from '../schema/index.js';
import { ProgressReporter } from '../util/progress-reporter.js';
import { runParallel } from '../util/run-parallel.js';
import { cleanTarget } from './clean-target.js';
import { createDatabase, dropDatabase } from './create-database.js';
import { restoreLargeObject } from './large-objects.js';
import { loadDataMember } from './load-data.js';
import { runPostDataPass, runRemainingInOrder } from './post-data.js';
import { planRestore, type RestorePlan } from './restore-plan.js';
import { defaultMaintenanceWorkMemMb, openRestoreSession } from './restore-session.js';
import { describeTargetContents } from './target-contents.js';
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
 * prepares it, then pre-data (one transaction), data with parallel COPY FROM (one transaction per member, biggest
 * first), large objects, sequence values, indexes and constraints in parallel, foreign keys, the rest of
 * post-data, ANALYZE, and (for a database it created) the source database's properties. A database this restore
 * created is dropped again if anything fails.
 */
export async function restoreDatabase(options: PgRestoreOptions): Promise<RestoreResult> {
  const startedAt = Date.now();
  const mode: RestoreMode = options.mode ?? 'safe';
  const jobs = Math.max(1, Math.floor(options.jobs ?? 1));
  const { reader, logger, connection, database } = options;
  const archive = selectDatabaseArchive(reader.manifest, options.sourceDatabase);
  if (options.clean && !options.confirm) throw new CleanRequiresConfirmError(database);
  const progress = new ProgressReporter(options.onProgress);
  progress.phase('connect');

  const admin = await connect(connection, connection.database ?? DEFAULT_MAINTENANCE_DATABASE, logger);
  const sessions: pg.Client[] = [];
  let created = false;
  let touched = false;
  let versionNum = 0;
  try {
    versionNum = (await requireSupportedServer(admin)).versionNum;
    if (options.create) {
      await createDatabase(admin, database, archive.extra.database, versionNum);
      created = true;
    } else {
      await refuseNonEmptyTarget(options);
    }
    touched = true;

    const maintenanceWorkMemMb = options.maintenanceWorkMemMb ?? defaultMaintenanceWorkMemMb(jobs);
    for (let i = 0; i < jobs; i++) {
      sessions.push(await openRestoreSession(connection, database, mode, maintenanceWorkMemMb, logger));
    }
    const main = sessions[0]!;

    progress.phase('schema');
    await main.query('BEGIN');
    if (options.clean) await cleanTarget(main, versionNum);
    await main.query(await reader.readMemberText(archive.preData));
    await main.query('COMMIT');

    const postData = JSON.parse(await reader.readMemberText(archive.postData)) as PostDataItem[];
    const plan = planRestore(archive, options.criticalTables ?? []);
    const completed = new Set<string>();
    const unlogged = mode === 'turbo' ? turboCandidates(plan) : [];
    if (unlogged.length > 0) await setUnlogged(main, unlogged);

    progress.phase('data', {
      tablesTotal: plan.tablesWithData.length,
      bytesTotal: archive.dataMembers.reduce((sum, entry) => sum + entry.plainSize, 0),
    });
    const membersLeft = new Map(plan.membersPerTable);
    let criticalReadyMs: number | null = null;
    for (const tier of plan.tiers) {
      await runParallel(tier.loads, jobs, async (load, slot) => {
        await loadDataMember(sessions[slot]!, reader, load.table, load.entry);
        progress.add(load.entry.rows ?? 0, load.entry.plainSize);
        const key = tableKey(load.table);
        const left = (membersLeft.get(key) ?? 1) - 1;
        membersLeft.set(key, left);
        if (left === 0) progress.tableDone();
      });
      progress.flush();
      const tierUnlogged = unlogged.filter((table) => tier.tables.includes(table));
      // SET LOGGED before the index builds: it rewrites the table and would rebuild indexes built earlier.
      if (tierUnlogged.length > 0)
        await runParallel(tierUnlogged, jobs, (table, slot) => setLogged(sessions[slot]!, table));
      await runPostDataPass(sessions, postData, completed, tier.selectIndexes, plan.tableBytes);
      if (criticalReadyMs === null && plan.critical.length > 0) {
        criticalReadyMs = Date.now() - startedAt;
        logger?.info('critical tables restored with their indexes', { ms: criticalReadyMs });
      }
    }

    progress.phase('large-objects');
    await runParallel(archive.largeObjects, jobs, async (entry, slot) => {
      progress.add(0, await restoreLargeObject(sessions[slot]!, reader, entry, logger));
    });
    if (archive.sequenceValues) await main.query(await reader.readMemberText(archive.sequenceValues));

    progress.phase('post-data');
    await runPostDataPass(sessions, postData, completed, (item) => item.kind === 'foreign-key', plan.tableBytes);
    await runRemainingInOrder(main, postData, completed);
    if (unlogged.length > 0) await assertLogged(main, unlogged);

    progress.phase('analyze');
    await runParallel(archive.extra.tables, jobs, (table, slot) =>
      sessions[slot]!.query(`ANALYZE ${table.qualifiedName}`).then(() => undefined),
    );
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
    await Promise.all(sessions.map(closeQuietly));
    if (created) {
      await dropDatabase(admin, database, versionNum).catch((dropError: unknown) =>
        logger?.warn('could not drop the partially restored database', { database, error: String(dropError) }),
      );
      throw error;
    }
    if (touched) throw new IncompleteRestoreError(database, error);
    throw error;
  } finally {
    await Promise.all(sessions.map(closeQuietly));
    await closeQuietly(admin);
  }
}

/** An existing target must be empty unless --confirm was given; checked before anything changes. */
async function refuseNonEmptyTarget(options: PgRestoreOptions): Promise<void> {
  const probe = await connect(options.connection, options.database, options.logger);
  try {
    const contents = await describeTargetContents(probe);
    if (contents.objects > 0 && !options.confirm) {
      throw new TargetNotEmptyError(options.database, contents.tables, contents.objects);
    }
  } finally {
    await closeQuietly(probe);
  }
}

/** turbo: permanent plain tables with data are loaded UNLOGGED and switched back afterwards. */
function turboCandidates(plan: RestorePlan): ArchivedTable[] {
  return plan.tablesWithData.filter((table) => table.relkind === 'r' && table.persistence === 'p');
}
