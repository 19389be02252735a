import type { ClusterRestoreOptions, ClusterRestoreResult, RestoreResult } from '@dbbackup/archive';
import { progressWithOffsets } from '@dbbackup/engine-kit';
import type pg from 'pg';
import { Cancellation } from '../connection/cancellation.js';
import { closeQuietly, connect, DEFAULT_MAINTENANCE_DATABASE } from '../connection/connect.js';
import { requireSupportedServer } from '../connection/server-version.js';
import { OperationAbortedError } from '../errors.js';
import { restoreDatabase } from '../restore/restore-database.js';
import { describeTargetContents } from '../restore/target-contents.js';
import { Quoter } from '../schema/index.js';
import { describeClusterArchive, describeClusterDatabase } from './cluster-layout.js';
import { ClusterRestoreError, ClusterTargetNotEmptyError } from './errors.js';
import { planGlobals, readRestoringUser, runGlobals } from './restore-globals.js';

export interface PgClusterRestoreOptions extends ClusterRestoreOptions {
  /** maintenance_work_mem for index builds, in MB (as for a database restore). */
  maintenanceWorkMemMb?: number;
}

/**
 * Restores a cluster archive into an (almost) empty instance: checks first that no database of the archive exists
 * there with objects in it and that no role of the archive exists besides the restoring user and the bootstrap
 * superuser (either needs `confirm`); then the globals, then each database with the database restore (created
 * with the source's encoding and locale, or restored into the existing empty one, e.g. `postgres`) including its
 * owner, comment, privileges and settings; role settings last. Stops at the first database that fails (that one is
 * rolled back as a database restore does; the ones before it stay) with a ClusterRestoreError.
 */
export async function restoreCluster(options: PgClusterRestoreOptions): Promise<ClusterRestoreResult> {
  const startedAt = Date.now();
  const { reader, connection, logger } = options;
  const cluster = describeClusterArchive(reader.manifest);
  const selected = options.databases ? [...new Set(options.databases)] : cluster.extra.databases.map((db) => db.name);
  for (const name of selected) describeClusterDatabase(reader.manifest, name);

  const cancellation = new Cancellation(options.signal);
  const results: RestoreResult[] = [];
  const restoredSoFar = () =>
    results.length > 0 ? `databases restored: ${results.map((result) => `"${result.database}"`).join(', ')}` : '';
  if (cancellation.aborted) {
    throw new OperationAbortedError('cluster restore', 'nothing was changed', { cause: cancellation.reason });
  }
  // Not tracked: its statements are short, and the globals must not be cut off halfway through one.
  const admin = await connect(connection, connection.database ?? DEFAULT_MAINTENANCE_DATABASE, logger);
  let current: string | undefined;
  try {
    await requireSupportedServer(admin);
    const user = await readRestoringUser(admin);
    const existing = await existingDatabases(admin);
    const conflicts = await findConflicts(options, admin, selected, existing, cluster.extra.globals.roles);
    if ((conflicts.databases.length > 0 || conflicts.roles.length > 0) && !options.confirm) {
      throw new ClusterTargetNotEmptyError(conflicts.databases, conflicts.roles);
    }

    const statements = JSON.parse(await reader.readMemberText(cluster.globals)) as string[];
    const globals = planGlobals(statements, await Quoter.load(admin), user);
    cancellation.throwIfAborted();
    const warnings = await runGlobals(admin, globals.first, logger);
    logger?.info('globals restored', { statements: globals.first.length });

    const offsets = { tablesDone: 0, rows: 0, bytes: 0 };
    for (const name of selected) {
      cancellation.throwIfAborted();
      logger?.info('restoring database', { database: name });
      current = name;
      try {
        results.push(
          await restoreDatabase({
            connection,
            reader,
            sourceDatabase: name,
            database: name,
            create: !existing.has(name),
            confirm: true,
            databaseProperties: true,
            mode: options.mode,
            jobs: options.jobs,
            logger,
            onProgress: progressWithOffsets(options.onProgress, offsets),
            maintenanceWorkMemMb: options.maintenanceWorkMemMb,
            signal: options.signal,
          }),
        );
      } catch (error) {
        if (cancellation.aborted) throw error;
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
    current = undefined;
    cancellation.throwIfAborted();
    warnings.push(...(await runGlobals(admin, globals.last, logger)));
    options.onProgress?.({ phase: 'done', ...offsets, tablesTotal: offsets.tablesDone, bytesTotal: offsets.bytes });
    return {
      databases: results,
      durationMs: Date.now() - startedAt,
      warnings: [...warnings, ...results.flatMap((result) => result.warnings)],
    };
  } catch (error) {
    if (!cancellation.aborted) throw error;
    // The roles and tablespaces already created stay, like the databases restored before the abort.
    const outcome = [
      current === undefined ? '' : `database "${current}" ${databaseOutcome(error)}`,
      restoredSoFar(),
      'the globals restored so far were kept',
    ].filter((part) => part !== '');
    throw new OperationAbortedError('cluster restore', outcome.join('; '), { cause: cancellation.reason });
  } finally {
    cancellation.dispose();
    await closeQuietly(admin);
  }
}

/** What became of the database being restored when the cluster restore was aborted (the database restore said). */
function databaseOutcome(error: unknown): string {
  if (error instanceof OperationAbortedError) return `was being restored: ${error.outcome}`;
  return 'was being restored';
}

async function existingDatabases(admin: pg.Client): Promise<Set<string>> {
  const { rows } = await admin.query<{ name: string }>('SELECT datname AS name FROM pg_catalog.pg_database');
  return new Set(rows.map((row) => row.name));
}

/** Existing databases of the archive that hold objects, and archive roles that exist besides the expected ones. */
async function findConflicts(
  options: PgClusterRestoreOptions,
  admin: pg.Client,
  selected: readonly string[],
  existing: ReadonlySet<string>,
  archiveRoles: readonly string[],
): Promise<{ databases: string[]; roles: string[] }> {
  const databases: string[] = [];
  for (const name of selected) {
    if (!existing.has(name)) continue;
    const probe = await connect(options.connection, name, options.logger);
    try {
      if ((await describeTargetContents(probe)).totalObjects > 0) databases.push(name);
    } finally {
      await closeQuietly(probe);
    }
  }
  // The restoring user and the bootstrap superuser (oid 10, e.g. postgres after initdb) always exist.
  const { rows } = await admin.query<{ name: string }>(
    `SELECT rolname AS name FROM pg_catalog.pg_roles
      WHERE rolname = ANY($1::pg_catalog.text[]) AND rolname <> current_user AND oid <> 10 ORDER BY 1`,
    [archiveRoles],
  );
  return { databases, roles: rows.map((row) => row.name) };
}
