import { resolve } from 'node:path';
import type { ArchiveReader, ConnectionOptions, RestoreResult } from '@dbbackup/archive';
import { openArchive } from '../archive-io/open-archive.js';
import type { CommandContext } from '../cli/command-context.js';
import { connectionOptions, engineLogger } from '../engines/engine-options.js';
import { archiveEngineNameForDbType, type SelectedEngine, selectEngineForArchive } from '../engines/select-engine.js';
import { CliError, UsageError } from '../errors/cli-errors.js';
import { createEngineProgressRenderer } from '../progress/engine-progress-line.js';
import type { RestoreSingleOptions } from './restore-command.js';
import { restoreDryRun } from './restore-dry-run.js';
import { renderRestoreReport, restoreReport } from './restore-report.js';

/** What the flags ask for, validated together. */
export interface RestoreRequest {
  path: string;
  target: string;
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
 * Restores one archive into one database. The archive is opened first (header, key, manifest), so a missing or
 * wrong key or a damaged archive fails before any connection; the engine comes from the archive's header.
 */
export async function restoreSingle(
  context: CommandContext,
  path: string,
  options: RestoreSingleOptions,
): Promise<void> {
  const request = restoreRequest(resolve(context.cwd, path), options);
  const { config, logger } = context;
  const reader = await openArchive(request.path, { keyFile: config.encryptionKeyFile, env: context.env, logger });
  try {
    const selected = await selectEngineForArchive(reader.header.engine);
    checkDbType(context, reader.header.engine);
    const connection = connectionOptions(config);
    if (config.dryRun) {
      await restoreDryRun(context, { selected, reader, request, connection });
      return;
    }
    if (!request.create) await requireExistingTarget(selected, connection, request.target);
    const result = await runRestore(context, selected, reader, request, connection);
    const report = restoreReport(result, request.path, reader);
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
  const criticalTables = (options.criticalTables ?? '')
    .split(',')
    .map((pattern) => pattern.trim())
    .filter((pattern) => pattern.length > 0);
  if (options.tieredRestore && criticalTables.length === 0) {
    throw new UsageError('--tiered-restore needs --critical-tables "pattern,..." naming the tables to restore first');
  }
  if (!options.tieredRestore && options.criticalTables !== undefined) {
    throw new UsageError('--critical-tables only applies with --tiered-restore; add --tiered-restore');
  }
  return {
    path,
    target: options.target,
    create: options.create === true,
    confirm: options.confirm === true,
    clean: options.clean === true,
    mode: options.restoreMode ?? 'safe',
    criticalTables,
  };
}

/** --db-type is optional for a restore (the archive names its engine); given on the command line, it must agree. */
function checkDbType(context: CommandContext, archiveEngine: string): void {
  const { dbType } = context.config;
  if (dbType === undefined || context.sources.dbType.kind !== 'flag') return;
  if (archiveEngineNameForDbType(dbType) !== archiveEngine) {
    throw new UsageError(
      `--db-type ${dbType} does not match this backup, which was made by the ${archiveEngine} engine; drop --db-type (the backup names its engine)`,
    );
  }
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
  connection: ConnectionOptions,
): Promise<RestoreResult> {
  const { config, logger } = context;
  const render = createEngineProgressRenderer('restore');
  try {
    return await selected.engine.restore({
      reader,
      connection,
      database: request.target,
      create: request.create,
      confirm: request.confirm,
      clean: request.clean,
      mode: request.mode,
      ...(request.criticalTables.length > 0 ? { criticalTables: request.criticalTables } : {}),
      jobs: config.jobs,
      logger: engineLogger(logger),
      onProgress: (progress) => context.progress.update(render(progress)),
    });
  } finally {
    context.progress.stop();
  }
}
