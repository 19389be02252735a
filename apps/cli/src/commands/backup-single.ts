import { ArchiveReader, ArchiveWriter, type BackupResult, type VerifyRestoreResult } from '@dbbackup/archive';
import { abortWriterOnSignal } from '../archive-io/abort-on-signal.js';
import { ensureBackupDirectory, resolveBackupDirectory } from '../archive-io/backup-directory.js';
import { backupFilePath } from '../archive-io/backup-file-name.js';
import type { CommandContext } from '../cli/command-context.js';
import { connectionOptions, engineLogger } from '../engines/engine-options.js';
import { type SelectedEngine, selectEngineForDbType } from '../engines/select-engine.js';
import { PartialFailureError } from '../errors/cli-errors.js';
import { type BackupEncryption, prepareBackupEncryption } from '../keys/backup-encryption.js';
import { createEngineProgressRenderer } from '../progress/engine-progress-line.js';
import { CLI_VERSION } from '../version.js';
import { backupDryRun } from './backup-dry-run.js';
import { type BackupReport, backupReport, renderBackupReport } from './backup-report.js';

/**
 * Backs up one database: the engine writes into an ArchiveWriter on `<dir>/<database>-<stamp>.dbb.tar.partial`,
 * which becomes the final name only once the manifest is on disk. Any failure or Ctrl-C removes the .partial.
 */
export async function backupSingle(
  context: CommandContext,
  database: string,
  options: { verifyRestore: boolean },
): Promise<void> {
  const { config, logger } = context;
  const selected = await selectEngineForDbType(config.dbType);
  const directory = resolveBackupDirectory(config.backupDir, context.cwd);
  if (config.dryRun) {
    await backupDryRun(context, selected, database, directory);
    return;
  }

  const encryption = await prepareBackupEncryption(config, context.sources, context.env, logger);
  await ensureBackupDirectory(directory);
  const path = backupFilePath(directory, database, new Date());
  const result = await writeBackup(context, selected, database, path, encryption);

  let verification: VerifyRestoreResult | undefined;
  if (options.verifyRestore) verification = await verifyRestore(context, selected, path, encryption);

  const report: BackupReport = backupReport(result, {
    engine: selected.name,
    database,
    warnings: [...(encryption?.warnings ?? []), ...result.warnings],
    verification,
  });
  context.output.result(report, (document) => renderBackupReport(document, result.dataBytes));
  await context.saveConfigAfterSuccess();

  if (verification && !verification.ok) {
    const failed = verification.tables.filter((table) => !table.ok);
    throw new PartialFailureError(
      `verify-restore: ${failed.length} of ${verification.tables.length} tables differ after restoring the backup (${failed
        .slice(0, 5)
        .map((table) => `${table.schema}.${table.name}`)
        .join(', ')}); the backup ${path} does not restore exactly, keep the previous backups and report this`,
    );
  }
}

async function writeBackup(
  context: CommandContext,
  selected: SelectedEngine,
  database: string,
  path: string,
  encryption: BackupEncryption | undefined,
): Promise<BackupResult> {
  const { config, logger } = context;
  const writer = await ArchiveWriter.createFile(path, {
    engine: selected.name,
    toolVersion: CLI_VERSION,
    compression: {
      algorithm: config.compressionAlgorithm,
      ...(config.compressionLevel !== undefined ? { level: config.compressionLevel } : {}),
    },
    ...(encryption ? { encryption: { dataKey: encryption.dataKey, header: encryption.header } } : {}),
  });
  const removeSignalHandlers = abortWriterOnSignal(writer, (message) => {
    context.progress.stop();
    logger.info(message);
  });
  const render = createEngineProgressRenderer('backup');
  logger.debug(`writing ${path}.partial with ${config.jobs} jobs`);
  try {
    return await selected.engine.backup({
      connection: connectionOptions(config),
      database,
      writer,
      jobs: config.jobs,
      logger: engineLogger(logger),
      onProgress: (progress) => context.progress.update(render(progress)),
    });
  } catch (error) {
    // The engine aborts on its own errors; this covers anything that failed around it. abort() is idempotent.
    await writer.abort(error as Error).catch(() => undefined);
    throw error;
  } finally {
    removeSignalHandlers();
    context.progress.stop();
  }
}

async function verifyRestore(
  context: CommandContext,
  selected: SelectedEngine,
  path: string,
  encryption: BackupEncryption | undefined,
): Promise<VerifyRestoreResult> {
  const { config, logger } = context;
  const reader = await ArchiveReader.open(
    path,
    encryption ? { keyProvider: () => Promise.resolve(encryption.masterKey) } : {},
  );
  const render = createEngineProgressRenderer('verify-restore');
  try {
    return await selected.engine.verifyRestore({
      reader,
      connection: connectionOptions(config),
      jobs: config.jobs,
      logger: engineLogger(logger),
      onProgress: (progress) => context.progress.update(render(progress)),
    });
  } finally {
    context.progress.stop();
    await reader.close();
  }
}
