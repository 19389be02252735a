import { resolveCompression } from '@dbbackup/pipeline';
import { ensureBackupDirectory } from '../archive-io/backup-directory.js';
import { backupFilePath, sqlScriptExtension } from '../archive-io/backup-file-name.js';
import { SqlScriptFile } from '../archive-io/sql-script-file.js';
import type { CommandContext } from '../cli/command-context.js';
import { engineOperation } from '../engines/engine-operation.js';
import { operationOptions } from '../engines/operation-options.js';
import { UsageError } from '../errors/cli-errors.js';
import type { Hooks } from '../hooks/run-hook.js';
import { type BackupReport, renderBackupReport } from './backup-report.js';
import { type BackupTarget, databaseSizeCheck, startBackup } from './backup-target.js';
import { writeGuarded } from './guarded-write.js';
import { compressionLabel, runRecordedBackup } from './recorded-backup.js';

/**
 * `backup single DB --dump-format sql`: a psql-restorable script of one database (one snapshot), compressed by the
 * pipeline's compressor per --compression-algorithm into `<dir>/<database>-<stamp>.sql.zst` (`.sql.gz`, `.sql`),
 * written as .partial and renamed when complete. Restore: `zstd -dc FILE | psql -X -v ON_ERROR_STOP=1 -d NEWDB`.
 */
export async function backupSqlScript(
  context: CommandContext,
  database: string,
  options: { verifyRestore: boolean; hooks: Hooks },
): Promise<void> {
  refuseArchiveOnlyOptions(context, options.verifyRestore);
  const { config } = context;
  const compression = resolveCompression({
    algorithm: config.compressionAlgorithm,
    ...(config.compressionLevel !== undefined ? { level: config.compressionLevel } : {}),
  });
  const extension = sqlScriptExtension(compression.algorithm);
  const target: BackupTarget = {
    database,
    filePath: (directory, startedAt) => backupFilePath(directory, database, startedAt, extension),
    sizeCheck: databaseSizeCheck(database),
  };
  const started = await startBackup(context, target, (selected) => engineOperation(selected, 'writeSqlScript'));
  if (!started) return;
  const { selected, directory, operation } = started;

  const engineOptions = operationOptions(context, 'backup');
  const server = await selected.engine.serverVersion(engineOptions.connection);
  await ensureBackupDirectory(directory);
  const startedAt = performance.now();
  const path = target.filePath(directory, new Date());
  const recorded = {
    kind: 'single' as const,
    format: 'sql' as const,
    selected,
    database,
    path,
    encrypted: false,
    compression: compressionLabel(compression),
    hooks: options.hooks,
  };
  const { result, run } = await runRecordedBackup(context, recorded, async () => {
    const file = await SqlScriptFile.create(path, compression);
    const result = await writeGuarded(context, file, async () => {
      const script = await operation({ ...engineOptions, database, sink: file.sink });
      return { script, written: await file.complete() };
    });
    const outcome = {
      finishedAt: new Date().toISOString(),
      bytes: result.written.bytes,
      sha256: result.written.sha256,
      consistency: null,
      serverVersion: server.version,
      tables: result.script.tables,
      rows: result.script.rows,
    };
    return { result, outcome };
  });
  await run.close();
  const { script, written } = result;

  const report: BackupReport = {
    path: written.path,
    bytes: written.bytes,
    sha256: written.sha256,
    database,
    tables: script.tables,
    rows: script.rows,
    duration_ms: Math.round(performance.now() - startedAt),
    engine: selected.name,
    server_version: server.version,
    compression,
    encrypted: false,
    warnings: script.warnings,
    dump_format: 'sql',
  };
  context.output.result(report, (document) => renderBackupReport(document, script.bytes));
  await context.saveConfigAfterSuccess();
}

/** Encryption and --verify-restore need an archive; refused up front rather than silently ignored. */
function refuseArchiveOnlyOptions(context: CommandContext, verifyRestore: boolean): void {
  const { config, sources } = context;
  const keyFileFlag = config.encryptionKeyFile !== undefined && sources.encryptionKeyFile.kind === 'flag';
  if (config.encrypt || keyFileFlag) {
    throw new UsageError(
      `--dump-format sql cannot be encrypted: the SQL format is for interoperability with psql, which reads plain scripts; drop ${config.encrypt ? '--encrypt' : '--encryption-key-file'}, or use --dump-format archive (the default) for an encrypted backup`,
    );
  }
  if (config.cloud !== undefined) {
    const problem = `--dump-format sql writes a local script and --cloud (${config.cloud}) uploads archives`;
    if (sources.cloud.kind === 'flag') {
      throw new UsageError(
        `${problem}; drop --cloud and upload the script afterwards with dbbackup cloud upload FILE URI, or use --dump-format archive (the default)`,
      );
    }
    context.logger.warn(`${problem}: the script stays in the backup directory (upload it with dbbackup cloud upload)`);
  }
  if (verifyRestore) {
    throw new UsageError(
      '--verify-restore needs an archive to restore from, and --dump-format sql writes a SQL script; drop --verify-restore, or use --dump-format archive (the default)',
    );
  }
}
