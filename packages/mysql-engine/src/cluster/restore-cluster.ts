import type { ClusterRestoreOptions, ClusterRestoreResult, RestoreResult } from '@dbbackup/archive';
import { progressWithOffsets } from '@dbbackup/engine-kit';
import { closeQuietly, connect, type MysqlSession } from '../connection/connect.js';
import { requireSupportedServer } from '../connection/server-version.js';
import { restoreDatabase } from '../restore/restore-database.js';
import { databaseExists, describeTargetContents } from '../restore/target-database.js';
import type { MysqlFlavor } from '../schema/index.js';
import { currentAccount, describeAccount, listAccounts, sameAccount, sameUser } from './accounts.js';
import { describeClusterArchive, describeClusterDatabase, type MysqlAccountName } from './cluster-layout.js';
import { ClusterRestoreError, ClusterTargetNotEmptyError } from './errors.js';
import { planGlobals, runGlobals } from './restore-globals.js';

export interface MysqlClusterRestoreOptions extends ClusterRestoreOptions {
  /** SET sql_log_bin = 0 on the restore sessions (as for a database restore; default false). */
  skipBinlog?: boolean;
  flavor?: MysqlFlavor;
}

/**
 * Restores a cluster archive into an (almost) empty instance: checks first that no selected database of the
 * archive exists there with objects in it and that no account or role of the archive exists besides the restoring
 * account's user (any host) (either needs `confirm`); then creates the accounts and roles, restores each database with the database
 * restore (created with the source's character set, or restored into the existing empty one), and replays the
 * grants and default roles last. Stops at the first database that fails (that one is rolled back as a database
 * restore does; the ones before it stay) with a ClusterRestoreError.
 */
export async function restoreCluster(options: MysqlClusterRestoreOptions): Promise<ClusterRestoreResult> {
  const startedAt = Date.now();
  const { reader, connection, logger } = options;
  const cluster = describeClusterArchive(reader.manifest);
  const selected = options.databases ? [...new Set(options.databases)] : cluster.extra.databases.map((db) => db.name);
  for (const name of selected) describeClusterDatabase(reader.manifest, name);

  const admin = await connect(connection, undefined, { flavor: options.flavor, logger });
  const results: RestoreResult[] = [];
  try {
    await requireSupportedServer(admin);
    const restoring = await currentAccount(admin.client);
    const existing = new Set<string>();
    for (const name of selected) if (await databaseExists(admin, name)) existing.add(name);
    const conflicts = await findConflicts(admin, existing, cluster.extra.globals.accounts, restoring);
    if ((conflicts.databases.length > 0 || conflicts.accounts.length > 0) && !options.confirm) {
      throw new ClusterTargetNotEmptyError(conflicts.databases, conflicts.accounts);
    }

    const statements = JSON.parse(await reader.readMemberText(cluster.globals)) as string[];
    const globals = planGlobals(statements, restoring);
    for (const warning of globals.warnings) logger?.warn(warning);
    await runGlobals(admin.client, globals.first, logger);
    logger?.info('accounts and roles restored', { statements: globals.first.length });

    const offsets = { tablesDone: 0, rows: 0, bytes: 0 };
    for (const name of selected) {
      logger?.info('restoring database', { database: name });
      try {
        results.push(
          await restoreDatabase({
            connection,
            reader,
            sourceDatabase: name,
            database: name,
            create: !existing.has(name),
            confirm: true,
            mode: options.mode,
            jobs: options.jobs,
            logger,
            onProgress: progressWithOffsets(options.onProgress, offsets),
            skipBinlog: options.skipBinlog,
            flavor: options.flavor,
          }),
        );
      } catch (error) {
        throw new ClusterRestoreError(
          name,
          results.map((result) => result.database),
          error,
        );
      }
      const restored = results[results.length - 1]!;
      offsets.tablesDone += restored.tables;
      offsets.rows += restored.rows;
      offsets.bytes += restored.dataBytes;
    }
    await runGlobals(admin.client, globals.last, logger);
    logger?.info('grants restored', { statements: globals.last.length });
    options.onProgress?.({ phase: 'done', ...offsets, tablesTotal: offsets.tablesDone, bytesTotal: offsets.bytes });
    return {
      databases: results,
      durationMs: Date.now() - startedAt,
      warnings: [...globals.warnings, ...results.flatMap((result) => result.warnings)],
    };
  } finally {
    await closeQuietly(admin);
  }
}

/** Existing selected databases that hold objects, and archive accounts that exist besides the restoring one. */
async function findConflicts(
  admin: MysqlSession,
  existing: ReadonlySet<string>,
  archiveAccounts: readonly MysqlAccountName[],
  restoring: MysqlAccountName,
): Promise<{ databases: string[]; accounts: string[] }> {
  const databases: string[] = [];
  for (const name of existing) {
    if ((await describeTargetContents(admin, name)).objects > 0) databases.push(name);
  }
  const present = await listAccounts(admin.client);
  const accounts = archiveAccounts
    .filter((account) => !sameUser(account, restoring))
    .filter((account) => present.some((candidate) => sameAccount(candidate, account)))
    .map(describeAccount);
  return { databases, accounts };
}
