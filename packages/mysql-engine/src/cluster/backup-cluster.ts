import type { BackupResult, ClusterBackupOptions } from '@dbbackup/archive';
import { ProgressReporter, progressWithOffsets } from '@dbbackup/engine-kit';
import type { RowDataPacket } from 'mysql2/promise';
import { type DumpedDatabase, dumpDatabaseInto, type MysqlBackupOptions } from '../backup/backup-database.js';
import { closeQuietly, connect, type MysqlSession } from '../connection/connect.js';
import { resolveTarget } from '../connection/connection-target.js';
import { requireSupportedServer } from '../connection/server-version.js';
import { DatabaseNotFoundError } from '../errors.js';
import { dumpUsersAndGrants, type MysqlFlavor } from '../schema/index.js';
import { listAccounts } from './accounts.js';
import {
  CLUSTER_CONSISTENCY_NOTE,
  LABEL_GLOBALS,
  type MysqlClusterDatabaseExtra,
  type MysqlClusterManifestExtra,
} from './cluster-layout.js';

/** Server databases that are never part of a cluster backup. */
export const SYSTEM_DATABASES: readonly string[] = ['mysql', 'information_schema', 'performance_schema', 'sys'];

export interface MysqlClusterBackupOptions
  extends ClusterBackupOptions,
    Pick<MysqlBackupOptions, 'partSizeBytes' | 'splitThresholdBytes' | 'deferSecondaryIndexes'> {
  flavor?: MysqlFlavor;
}

/**
 * Backs up a whole server into one archive: users, roles and grants first (the `globals` member), then every
 * non-system database (or `databases`), one after another, each exactly as a database backup would, in its own
 * consistent snapshot, its members tagged with the database name. The manifest says that the databases are not
 * mutually consistent.
 */
export async function backupCluster(options: MysqlClusterBackupOptions): Promise<BackupResult> {
  const startedAt = new Date();
  const { writer, logger, connection } = options;
  let admin: MysqlSession | undefined;
  try {
    admin = await connect(connection, undefined, { flavor: options.flavor, logger });
    const version = await requireSupportedServer(admin);
    const names = await chooseDatabases(admin, options.databases, resolveTarget(connection).description);
    const statements = await dumpUsersAndGrants(admin.client, { ifNotExists: true });
    const accounts = await listAccounts(admin.client);
    await closeQuietly(admin);
    admin = undefined;
    await writer.addMember({ kind: 'globals', label: LABEL_GLOBALS }, JSON.stringify(statements), '.json');
    logger?.info('users and grants dumped', { accounts: accounts.length, statements: statements.length });

    const offsets = { tablesDone: 0, rows: 0, bytes: 0 };
    const databases: MysqlClusterDatabaseExtra[] = [];
    const dumped: DumpedDatabase[] = [];
    for (const name of names) {
      logger?.info('backing up database', { database: name });
      const progress = new ProgressReporter(progressWithOffsets(options.onProgress, offsets));
      const result = await dumpDatabaseInto({ ...options, database: name }, progress, name);
      dumped.push(result);
      databases.push({ name, consistency: result.consistency, ...result.extra });
      offsets.tablesDone += result.tables;
      offsets.rows += result.rows;
      offsets.bytes += result.dataBytes;
    }

    const extra: MysqlClusterManifestExtra = {
      databases,
      globals: { accounts, statements: statements.length },
      snapshot: 'per-database',
      consistencyNote: CLUSTER_CONSISTENCY_NOTE,
      options: { jobs: Math.max(1, Math.floor(options.jobs ?? 1)), databases: options.databases ?? null },
    };
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
    await writer.abort(error as Error).catch(() => undefined);
    throw error;
  } finally {
    await closeQuietly(admin);
  }
}

/** Every non-system database, or the requested ones (each must exist). */
async function chooseDatabases(
  admin: MysqlSession,
  requested: string[] | undefined,
  target: string,
): Promise<string[]> {
  const [rows] = await admin.client.query<RowDataPacket[]>(
    'SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA ORDER BY SCHEMA_NAME',
  );
  const existing = rows.map((row) => String(row.name));
  if (requested === undefined) return existing.filter((name) => !SYSTEM_DATABASES.includes(name.toLowerCase()));
  const chosen = [...new Set(requested)];
  for (const name of chosen) if (!existing.includes(name)) throw new DatabaseNotFoundError(name, target);
  return chosen;
}
