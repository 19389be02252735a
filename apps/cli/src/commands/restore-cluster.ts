import type { ArchiveReader, ClusterRestoreResult, RestoreMode } from '@dbbackup/archive';
import { requireArchiveDatabases } from '../archive-io/archive-databases.js';
import type { CommandContext } from '../cli/command-context.js';
import { parseNameList } from '../cli/name-list.js';
import { resolveBackupLocation } from '../cloud-io/cloud-object.js';
import { engineOperation } from '../engines/engine-operation.js';
import { operationOptions } from '../engines/operation-options.js';
import { UsageError } from '../errors/cli-errors.js';
import { hooksFrom } from '../hooks/hook-options.js';
import { runInterruptible } from './guarded-write.js';
import { runRecordedRestore } from './recorded-restore.js';
import { openArchiveForRestore } from './restore-archive.js';
import type { RestoreClusterOptions } from './restore-cluster-command.js';
import { restoreClusterDryRun } from './restore-cluster-dry-run.js';
import { renderRestoreClusterReport, restoreClusterReport } from './restore-cluster-report.js';

/** What the flags ask for, validated together. */
export interface RestoreClusterRequest {
  path: string;
  /** --databases; undefined: every database of the backup. */
  databases: string[] | undefined;
  mode: RestoreMode;
}

/**
 * Restores a cluster archive into a server (meant for an empty one): the engine restores the globals, then each
 * database, creating it when absent. --confirm is always required, since roles and databases are created (and
 * existing roles of the backup altered) on the target server; it is also what allows a target that is not empty.
 */
export async function restoreCluster(
  context: CommandContext,
  path: string,
  options: RestoreClusterOptions,
): Promise<void> {
  const request = restoreClusterRequest(resolveBackupLocation(context.cwd, path), options);
  const { reader, selected } = await openArchiveForRestore(context, request.path);
  try {
    requireClusterArchive(reader, request);
    const restoreClusterOf = engineOperation(selected, 'restoreCluster');
    const engineOptions = operationOptions(context, 'restore', selected.name);
    if (context.config.dryRun) {
      await restoreClusterDryRun(context, { selected, reader, request, connection: engineOptions.connection });
      return;
    }
    const restored = request.databases?.join(', ') ?? 'cluster';
    const result: ClusterRestoreResult = await runRecordedRestore(
      context,
      { kind: 'cluster', selected, path: request.path, database: restored, hooks: hooksFrom(options) },
      async () => {
        try {
          return await runInterruptible(context, (signal) =>
            restoreClusterOf({
              ...engineOptions,
              signal,
              reader,
              confirm: true,
              mode: request.mode,
              ...(request.databases ? { databases: request.databases } : {}),
            }),
          );
        } finally {
          context.progress.stop();
        }
      },
      (done) => ({
        tables: done.databases.reduce((sum, database) => sum + database.tables, 0),
        rows: done.databases.reduce((sum, database) => sum + database.rows, 0),
      }),
    );
    const report = restoreClusterReport(result);
    context.output.result(report, (document) => renderRestoreClusterReport(document, request.path));
    await context.saveConfigAfterSuccess();
  } finally {
    await reader.close();
  }
}

function restoreClusterRequest(path: string, options: RestoreClusterOptions): RestoreClusterRequest {
  if (!options.confirm) {
    throw new UsageError(
      'restore cluster creates roles and databases on the target server; pass --confirm (with --dry-run to only see what it would do)',
    );
  }
  const databases = options.databases === undefined ? undefined : parseNameList(options.databases);
  if (databases?.length === 0) {
    throw new UsageError('--databases names no database: give a comma-separated list such as --databases shop,crm');
  }
  return { path, databases, mode: options.restoreMode ?? 'safe' };
}

/** A single-database backup, or --databases naming what the backup lacks, fails before any connection. */
function requireClusterArchive(reader: ArchiveReader, request: RestoreClusterRequest): void {
  const { manifest } = reader;
  if (!manifest.cluster) {
    throw new UsageError(
      `${request.path} is a backup of the single database "${manifest.database}", not of a cluster; restore it with dbbackup restore single ${request.path} --target DB --create`,
    );
  }
  if (request.databases) requireArchiveDatabases(manifest, request.path, request.databases, '--databases');
}
