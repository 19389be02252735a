import type { ArchiveReader, ConnectionOptions, RestoreResult } from '@dbbackup/archive';
import { checkSourceDatabase } from '../archive-io/archive-databases.js';
import type { CommandContext } from '../cli/command-context.js';
import { parseNameList } from '../cli/name-list.js';
import { resolveBackupLocation } from '../cloud-io/cloud-object.js';
import { connectionOptions } from '../engines/engine-options.js';
import { operationOptions } from '../engines/operation-options.js';
import type { SelectedEngine } from '../engines/select-engine.js';
import { CliError, UsageError } from '../errors/cli-errors.js';
import { hooksFrom } from '../hooks/hook-options.js';
import { runInterruptible } from './guarded-write.js';
import { runRecordedRestore } from './recorded-restore.js';
import { openArchiveForRestore } from './restore-archive.js';
import { restoreDryRun } from './restore-dry-run.js';
import { renderRestoreReport, restoreReport } from './restore-report.js';
import type { RestoreSingleOptions } from './restore-single-command.js';

/** What the flags ask for, validated together. */
export interface RestoreRequest {
  path: string;
  target: string;
  /** Cluster archives: the database of the archive to restore (--source-database). */
  sourceDatabase: string | undefined;
  create: boolean;
  confirm: boolean;
  clean: boolean;
  mode: 'safe' | 'balanced' | 'turbo';
  criticalTables: string[];
}

/** The target does not exist and --create was not given. Exit 2. */
export class TargetMissingError extends CliError {
  constructor(target: string) {
    super(`target database "${target}" does not exist; add --create to create it (or check --target)`, 2);
  }
}

/**
 * Restores one archive (or one database of a cluster archive, --source-database) into one database. The archive is
 * opened first (header, key, manifest), so a missing or wrong key, a damaged archive or a missing
 * --source-database fails before any connection; the engine comes from the archive's header.
 */
export async function restoreSingle(
  context: CommandContext,
  path: string,
  options: RestoreSingleOptions,
): Promise<void> {
  const request = restoreRequest(resolveBackupLocation(context.cwd, path), options);
  const { config } = context;
  const { reader, selected } = await openArchiveForRestore(context, request.path);
  try {
    checkSourceDatabase(reader.manifest, request.path, request.sourceDatabase);
    const connection = connectionOptions(config, context.sources, selected.name);
    if (config.dryRun) {
      await restoreDryRun(context, { selected, reader, request, connection });
      return;
    }
    if (!request.create) await requireExistingTarget(selected, connection, request.target);
    const result = await runRecordedRestore(
      context,
      { kind: 'single', selected, path: request.path, database: request.target, hooks: hooksFrom(options) },
      () => runRestore(context, selected, reader, request),
      (restored) => ({ tables: restored.tables, rows: restored.rows }),
    );
    const report = restoreReport(result, request, reader);
    context.output.result(report, (document) => renderRestoreReport(document, result.dataBytes));
    await context.saveConfigAfterSuccess();
  } finally {
    await reader.close();
  }
}

function restoreRequest(path: string, options: RestoreSingleOptions): RestoreRequest {
  if (options.clean && !options.confirm) {
    throw new UsageError('--clean drops every object in the target database; pass --confirm as well to allow it');
  }
  if (options.clean && options.create) {
    throw new UsageError('--clean empties an existing database and --create makes a new one; use only one of them');
  }
  const criticalTables = parseNameList(options.criticalTables);
  if (options.tieredRestore && criticalTables.length === 0) {
    throw new UsageError('--tiered-restore needs --critical-tables "pattern,..." naming the tables to restore first');
  }
  if (!options.tieredRestore && options.criticalTables !== undefined) {
    throw new UsageError('--critical-tables only applies with --tiered-restore; add --tiered-restore');
  }
  return {
    path,
    target: options.target,
    sourceDatabase: options.sourceDatabase,
    create: options.create === true,
    confirm: options.confirm === true,
    clean: options.clean === true,
    mode: options.restoreMode ?? 'safe',
    criticalTables,
  };
}

async function requireExistingTarget(
  selected: SelectedEngine,
  connection: ConnectionOptions,
  target: string,
): Promise<void> {
  const databases = await selected.engine.listDatabases(connection);
  if (!databases.some((database) => database.name === target)) throw new TargetMissingError(target);
}

async function runRestore(
  context: CommandContext,
  selected: SelectedEngine,
  reader: ArchiveReader,
  request: RestoreRequest,
): Promise<RestoreResult> {
  try {
    return await runInterruptible(context, (signal) =>
      selected.engine.restore({
        ...operationOptions(context, 'restore', selected.name),
        signal,
        reader,
        database: request.target,
        ...(request.sourceDatabase !== undefined ? { sourceDatabase: request.sourceDatabase } : {}),
        create: request.create,
        confirm: request.confirm,
        clean: request.clean,
        mode: request.mode,
        ...(request.criticalTables.length > 0 ? { criticalTables: request.criticalTables } : {}),
      }),
    );
  } finally {
    context.progress.stop();
  }
}
