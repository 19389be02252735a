import type { RestoreOptions, RestoreResult } from '@dbbackup/archive';
import { ProgressReporter } from '@dbbackup/engine-kit';
import { type MysqlArchive, tableKey } from '../archive-layout.js';
import { selectDatabaseArchive } from '../cluster/cluster-layout.js';
import { closeQuietly, connect, destroySession, type MysqlSession } from '../connection/connect.js';
import { requireSupportedServer } from '../connection/server-version.js';
import { CleanRequiresConfirmError, IncompleteRestoreError, TargetNotEmptyError } from '../errors.js';
import { type MysqlFlavor, type MysqlPostDataItem, type MysqlSchemaDump, retargetSchemaDump } from '../schema/index.js';
import { loadDataMember } from './load-data.js';
import { runLoadSchedule } from './load-schedule.js';
import { runPostDataItem, runPostDataPass, runRemainingInOrder } from './post-data.js';
import { planRestore } from './restore-plan.js';
import { openRestoreSession } from './restore-session.js';
import { cleanTarget, createDatabase, describeTargetContents, dropDatabase } from './target-database.js';

export interface MysqlRestoreOptions extends RestoreOptions {
  /** SET sql_log_bin = 0 on the restore sessions, so the restore is not written to the binlog (default false). */
  skipBinlog?: boolean;
  /** Which server family the caller expects; only used to name it in connection errors. */
  flavor?: MysqlFlavor;
}

/**
 * Restores a MySQL/MariaDB archive: checks everything that can be checked before touching the target, creates or
 * prepares it, then pre-data (serially), data with parallel LOAD DATA LOCAL INFILE (one transaction per member,
 * biggest first) and each table's deferred secondary indexes (one ALTER TABLE per table) as soon as its data is
 * in, then triggers, events and sequence values in dump order. A database this restore created is dropped again
 * if anything fails.
 */
export async function restoreDatabase(options: MysqlRestoreOptions): Promise<RestoreResult> {
  const startedAt = Date.now();
  const jobs = Math.max(1, Math.floor(options.jobs ?? 1));
  const { reader, logger, connection, database } = options;
  const archive = selectDatabaseArchive(reader.manifest, options.sourceDatabase);
  if (options.clean && !options.confirm) throw new CleanRequiresConfirmError(database);
  const warnings: string[] = [];
  if (options.mode !== undefined && options.mode !== 'safe') {
    // MySQL has no per-session equivalent of synchronous_commit or unlogged tables; the restore is always safe.
    const warning = `restore mode "${options.mode}" has no MySQL/MariaDB equivalent; restored in safe mode`;
    warnings.push(warning);
    logger?.warn(warning);
  }
  const progress = new ProgressReporter(options.onProgress);
  progress.phase('connect');

  const connectOptions = { flavor: options.flavor, logger };
  const admin = await connect(connection, undefined, connectOptions);
  const sessions: MysqlSession[] = [];
  let created = false;
  let touched = false;
  try {
    const target = (await requireSupportedServer(admin)).info;
    if (options.create) {
      await createDatabase(admin, database, archive.extra.database);
      created = true;
    } else {
      await refuseNonEmptyTarget(options);
    }
    touched = true;

    const sessionOptions = { flavor: options.flavor, logger, skipBinlog: options.skipBinlog ?? false };
    for (let i = 0; i < jobs; i++)
      sessions.push(await openRestoreSession(connection, database, target, sessionOptions));
    const main = sessions[0]!;

    progress.phase('schema');
    if (options.clean) await cleanTarget(main, database);
    const preData = JSON.parse(await reader.readMemberText(archive.preData)) as string[];
    for (const statement of preData) await main.client.query(statement);
    const postData = retargetPostData(archive, database, await reader.readMemberText(archive.postData));

    const indexedTables = new Set(
      postData.flatMap((item) => (item.kind === 'index' && item.table ? [item.table] : [])),
    );
    const plan = planRestore(archive, options.criticalTables ?? [], indexedTables);
    const completed = new Set<string>();
    progress.phase('data', {
      tablesTotal: plan.tablesWithData.length,
      bytesTotal: archive.dataMembers.reduce((sum, entry) => sum + entry.plainSize, 0),
    });
    const membersLeft = new Map(plan.membersPerTable);
    let criticalReadyMs: number | null = null;
    for (const tier of plan.tiers) {
      await runLoadSchedule({
        loads: tier.loads,
        indexItems: postData.filter((item) => !completed.has(item.id) && tier.selectIndexes(item)),
        concurrency: jobs,
        completed,
        run: async (job, slot) => {
          const session = sessions[slot]!;
          if (job.kind === 'index') {
            await runPostDataItem(session, job.item);
            return;
          }
          const { load } = job;
          await loadDataMember(session, reader, load.table, load.entry);
          progress.add(load.entry.rows ?? 0, load.entry.plainSize);
          const key = tableKey(load.table);
          const left = (membersLeft.get(key) ?? 1) - 1;
          membersLeft.set(key, left);
          if (left === 0) progress.tableDone();
        },
      });
      progress.flush();
      // Index items that had to wait for other items (none in practice) run once those are in.
      await runPostDataPass(sessions, postData, completed, tier.selectIndexes, plan.tableBytes);
      if (criticalReadyMs === null && plan.critical.length > 0) {
        criticalReadyMs = Date.now() - startedAt;
        logger?.info('critical tables restored with their indexes', { ms: criticalReadyMs });
      }
    }

    progress.phase('post-data');
    await runRemainingInOrder(main, postData, completed);
    progress.phase('done');
    return {
      database,
      created,
      mode: 'safe',
      tables: plan.tablesWithData.length,
      rows: archive.dataMembers.reduce((sum, entry) => sum + (entry.rows ?? 0), 0),
      dataBytes: archive.dataMembers.reduce((sum, entry) => sum + entry.plainSize, 0),
      durationMs: Date.now() - startedAt,
      criticalTables: plan.critical.map((table) => `${table.schema}.${table.name}`),
      criticalReadyMs,
      warnings,
    };
  } catch (error) {
    // Sessions may be mid-statement (a LOAD DATA still uploading): cut them off before dropping the database.
    for (const session of sessions.splice(0)) destroySession(session);
    if (created) {
      await dropDatabase(admin, database).catch((dropError: unknown) =>
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
async function refuseNonEmptyTarget(options: MysqlRestoreOptions): Promise<void> {
  const probe = await connect(options.connection, options.database, { flavor: options.flavor, logger: options.logger });
  try {
    const contents = await describeTargetContents(probe, options.database);
    if (contents.objects > 0 && !options.confirm) {
      throw new TargetNotEmptyError(options.database, contents.tables, contents.objects);
    }
  } finally {
    await closeQuietly(probe);
  }
}

/** The post-data items with explicit mentions of the source database renamed to the target. */
function retargetPostData(archive: MysqlArchive, database: string, text: string): MysqlPostDataItem[] {
  const dump: MysqlSchemaDump = {
    server: archive.extra.server,
    database: archive.extra.database,
    preData: [],
    tables: [],
    postData: JSON.parse(text) as MysqlPostDataItem[],
    warnings: [],
  };
  return retargetSchemaDump(dump, database).postData;
}
