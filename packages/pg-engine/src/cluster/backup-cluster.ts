import type { BackupResult, ClusterBackupOptions } from '@dbbackup/archive';
import { ProgressReporter, progressWithOffsets } from '@dbbackup/engine-kit';
import type pg from 'pg';
import { type DumpedDatabase, dumpDatabaseInto } from '../backup/backup-database.js';
import { Cancellation } from '../connection/cancellation.js';
import { closeQuietly, connect, DEFAULT_MAINTENANCE_DATABASE } from '../connection/connect.js';
import { resolveTarget } from '../connection/connection-target.js';
import { requireSupportedServer } from '../connection/server-version.js';
import { DatabaseNotFoundError, OperationAbortedError } from '../errors.js';
import { dumpGlobals } from '../schema/index.js';
import {
  CLUSTER_CONSISTENCY_NOTE,
  type ClusterDatabaseExtra,
  LABEL_GLOBALS,
  type PgClusterManifestExtra,
} from './cluster-layout.js';
import { DatabaseNotConnectableError } from './errors.js';

export interface PgClusterBackupOptions extends ClusterBackupOptions {
  /** As for a database backup: plain bytes per data member, and the size above which tables are split. */
  partSizeBytes?: number;
  splitThresholdBytes?: number;
}

/**
 * Backs up a whole server into one archive: the globals (roles with attributes, memberships and settings,
 * tablespaces; read in one snapshot of the maintenance database), then every connectable non-template database
 * (or `databases`), one after another, each exactly as a database backup would, in its own snapshot, its members
 * tagged with the database name. The manifest says that the databases are not mutually consistent.
 */
export async function backupCluster(options: PgClusterBackupOptions): Promise<BackupResult> {
  const startedAt = new Date();
  const { writer, logger, connection } = options;
  const cancellation = new Cancellation(options.signal);
  const aborted = () =>
    new OperationAbortedError('cluster backup', 'the unfinished archive was discarded', { cause: cancellation.reason });
  // At once: a sink stuck in backpressure would not notice the closed connections.
  cancellation.whenAborted(() => void writer.abort(aborted()).catch(() => undefined));
  let admin: pg.Client | undefined;
  try {
    cancellation.throwIfAborted();
    admin = cancellation.track(await connect(connection, connection.database ?? DEFAULT_MAINTENANCE_DATABASE, logger));
    const version = await requireSupportedServer(admin);
    const names = await chooseDatabases(admin, options.databases, resolveTarget(connection).description);

    await admin.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const globals = await dumpGlobals(admin);
    const roles = await admin.query<{ name: string }>(
      "SELECT rolname AS name FROM pg_catalog.pg_roles WHERE rolname !~ '^pg_' ORDER BY 1",
    );
    const tablespaces = await admin.query<{ name: string }>(
      "SELECT spcname AS name FROM pg_catalog.pg_tablespace WHERE spcname !~ '^pg_' ORDER BY 1",
    );
    await admin.query('COMMIT');
    await closeQuietly(admin);
    admin = undefined;
    await writer.addMember({ kind: 'globals', label: LABEL_GLOBALS }, JSON.stringify(globals.statements), '.json');
    logger?.info('globals dumped', { roles: roles.rows.length, statements: globals.statements.length });

    const offsets = { tablesDone: 0, rows: 0, bytes: 0 };
    const databases: ClusterDatabaseExtra[] = [];
    const dumped: DumpedDatabase[] = [];
    for (const name of names) {
      logger?.info('backing up database', { database: name });
      const progress = new ProgressReporter(progressWithOffsets(options.onProgress, offsets));
      const result = await dumpDatabaseInto({ ...options, database: name }, progress, cancellation, name);
      dumped.push(result);
      databases.push({ name, consistency: result.consistency, ...result.extra });
      offsets.tablesDone += result.tables;
      offsets.rows += result.rows;
      offsets.bytes += result.dataBytes;
    }

    const extra: PgClusterManifestExtra = {
      databases,
      globals: {
        roles: roles.rows.map((row) => row.name),
        tablespaces: tablespaces.rows.map((row) => row.name),
        statements: globals.statements.length,
      },
      consistencyNote: CLUSTER_CONSISTENCY_NOTE,
      options: { jobs: Math.max(1, Math.floor(options.jobs ?? 1)), databases: options.databases ?? null },
    };
    cancellation.throwIfAborted();
    const finished = await writer.finish({
      serverVersion: version.version,
      database: null,
      cluster: true,
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      consistency: {
        clusterWide: false,
        perDatabase: Object.fromEntries(databases.map((db) => [db.name, db.consistency])),
        note: CLUSTER_CONSISTENCY_NOTE,
      },
      extra: extra as unknown as Record<string, unknown>,
    });
    options.onProgress?.({ phase: 'done', ...offsets, tablesTotal: offsets.tablesDone, bytesTotal: offsets.bytes });
    return {
      ...finished,
      tables: offsets.tablesDone,
      rows: offsets.rows,
      dataBytes: offsets.bytes,
      durationMs: Date.now() - startedAt.getTime(),
      warnings: names.flatMap((name, index) => dumped[index]!.warnings.map((warning) => `${name}: ${warning}`)),
    };
  } catch (error) {
    const failure = cancellation.aborted ? aborted() : error;
    await writer.abort(failure as Error).catch(() => undefined);
    throw failure;
  } finally {
    cancellation.dispose();
    await closeQuietly(admin);
  }
}

/** Every connectable non-template database, or the requested ones (each must exist and accept connections). */
async function chooseDatabases(admin: pg.Client, requested: string[] | undefined, target: string): Promise<string[]> {
  const { rows } = await admin.query<{ name: string; connectable: boolean; template: boolean }>(
    'SELECT datname AS name, datallowconn AS connectable, datistemplate AS template FROM pg_catalog.pg_database ORDER BY datname',
  );
  if (requested === undefined) return rows.filter((row) => row.connectable && !row.template).map((row) => row.name);
  const byName = new Map(rows.map((row) => [row.name, row]));
  const chosen = [...new Set(requested)];
  for (const name of chosen) {
    const row = byName.get(name);
    if (!row) throw new DatabaseNotFoundError(name, target);
    if (!row.connectable) throw new DatabaseNotConnectableError(name);
  }
  return chosen;
}
