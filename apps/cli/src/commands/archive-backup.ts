import {
  ArchiveReader,
  ArchiveWriter,
  type BackupResult,
  type OperationOptions,
  type VerifyRestoreResult,
} from '@dbbackup/archive';
import type { BackupKind, BackupOutcome } from '@dbbackup/catalog';
import { resolveCompression } from '@dbbackup/pipeline';
import { ensureBackupDirectory } from '../archive-io/backup-directory.js';
import { writeSidecar } from '../catalog-io/run-recorder.js';
import type { CommandContext } from '../cli/command-context.js';
import type { ResolvedConfig } from '../config/settings.js';
import { operationOptions } from '../engines/operation-options.js';
import type { SelectedEngine } from '../engines/select-engine.js';
import { PartialFailureError } from '../errors/cli-errors.js';
import type { Hooks } from '../hooks/run-hook.js';
import { type BackupEncryption, prepareBackupEncryption } from '../keys/backup-encryption.js';
import { counted } from '../output/counted.js';
import { CLI_VERSION } from '../version.js';
import { type BackupReport, type BackupReportExtras, backupReport, renderBackupReport } from './backup-report.js';
import { type BackupTarget, startBackup } from './backup-target.js';
import { runInterruptible, writeGuarded } from './guarded-write.js';
import { backupSource, compressionLabel, runRecordedBackup } from './recorded-backup.js';

/** What every archive-writing engine operation receives (backup, backupSample, backupCluster add their own). */
export interface ArchiveWriteOptions extends OperationOptions {
  writer: ArchiveWriter;
}

export type ArchiveOperation = (options: ArchiveWriteOptions) => Promise<BackupResult>;

/** One kind of archive backup (single, sample, cluster): its target, its engine operation, its report fields. */
export interface ArchiveBackupJob extends BackupTarget {
  kind: BackupKind;
  hooks: Hooks;
  /** The engine operation that fills the writer; throws when the engine lacks it (checked before --dry-run). */
  operation(selected: SelectedEngine): ArchiveOperation;
  /** Restore the new archive into temporary databases afterwards and compare every table. */
  verifyRestore: boolean;
  /** Fields this kind of backup adds to the report. */
  extras(result: BackupResult): BackupReportExtras;
}

/**
 * Writes one archive: the engine operation fills an ArchiveWriter on `<file>.partial`, which becomes the final
 * name only once the manifest is on disk; any failure or Ctrl-C removes the .partial. Then the optional
 * verify-restore, the report, and exit 1 when verification found a difference.
 */
export async function runArchiveBackup(context: CommandContext, job: ArchiveBackupJob): Promise<void> {
  const started = await startBackup(context, job, job.operation);
  if (!started) return;
  const { selected, directory, operation } = started;
  const { config, logger } = context;

  const encryption = await prepareBackupEncryption(config, context.sources, context.env, logger);
  await ensureBackupDirectory(directory);
  const path = job.filePath(directory, new Date());
  const recorded = {
    kind: job.kind,
    format: 'archive' as const,
    selected,
    database: job.database,
    path,
    encrypted: encryption !== undefined,
    compression: compressionLabel(resolveCompression(archiveCompression(config))),
    hooks: job.hooks,
  };
  const { result, run } = await runRecordedBackup(context, recorded, async () => {
    const result = await writeArchive(context, selected, operation, path, encryption);
    return { result, outcome: backupOutcome(result) };
  });

  let verification: VerifyRestoreResult | undefined;
  try {
    if (job.verifyRestore) {
      verification = await verifyRestore(context, selected, path, encryption);
      const failed = verification.tables.filter((table) => !table.ok).length;
      const record = {
        at: new Date().toISOString(),
        result: verification.ok ? ('passed' as const) : ('failed' as const),
        kind: 'restore' as const,
        detail: verification.ok
          ? `${counted(verification.tables.length, 'table')} restored with equal rows and checksums`
          : `${failed} of ${verification.tables.length} tables differ after restoring`,
      };
      await run.verified(record);
      await writeSidecar(context, { path, sha256: result.sha256 }, record);
    }
  } finally {
    await run.close();
  }

  const report: BackupReport = backupReport(result, {
    engine: selected.name,
    database: job.database,
    warnings: [...(encryption?.warnings ?? []), ...result.warnings],
    verification,
    extras: job.extras(result),
  });
  context.output.result(report, (document) => renderBackupReport(document, result.dataBytes));
  await context.saveConfigAfterSuccess();

  if (verification && !verification.ok) {
    const failed = verification.tables.filter((table) => !table.ok);
    throw new PartialFailureError(
      `verify-restore: ${failed.length} of ${verification.tables.length} tables differ after restoring the backup (${failed
        .slice(0, 5)
        .map((table) => `${table.database !== undefined ? `${table.database}: ` : ''}${table.schema}.${table.name}`)
        .join(', ')}); the backup ${path} does not restore exactly, keep the previous backups and report this`,
    );
  }
}

async function writeArchive(
  context: CommandContext,
  selected: SelectedEngine,
  operation: ArchiveOperation,
  path: string,
  encryption: BackupEncryption | undefined,
): Promise<BackupResult> {
  const { config, logger } = context;
  const writer = await ArchiveWriter.createFile(path, {
    engine: selected.name,
    toolVersion: CLI_VERSION,
    compression: archiveCompression(config),
    source: backupSource(config),
    ...(encryption ? { encryption: { dataKey: encryption.dataKey, header: encryption.header } } : {}),
  });
  logger.debug(`writing ${path}.partial with ${config.jobs} jobs`);
  return writeGuarded(context, writer, () => operation({ ...operationOptions(context, 'backup'), writer }));
}

/** Restores the new archive into temporary databases (every database of a cluster archive) and compares. */
async function verifyRestore(
  context: CommandContext,
  selected: SelectedEngine,
  path: string,
  encryption: BackupEncryption | undefined,
): Promise<VerifyRestoreResult> {
  const reader = await ArchiveReader.open(
    path,
    encryption ? { keyProvider: () => Promise.resolve(encryption.masterKey) } : {},
  );
  try {
    return await runInterruptible(context, (signal) =>
      selected.engine.verifyRestore({ ...operationOptions(context, 'verify-restore'), signal, reader }),
    );
  } finally {
    context.progress.stop();
    await reader.close();
  }
}

/** --compression-algorithm and --compression as the writer's and the pipeline's options. */
export function archiveCompression(config: ResolvedConfig): {
  algorithm: ResolvedConfig['compressionAlgorithm'];
  level?: number;
} {
  return {
    algorithm: config.compressionAlgorithm,
    ...(config.compressionLevel !== undefined ? { level: config.compressionLevel } : {}),
  };
}

/** What the catalog keeps of a finished archive backup. */
function backupOutcome(result: BackupResult): BackupOutcome {
  const { manifest } = result;
  return {
    finishedAt: manifest.finishedAt,
    bytes: result.bytes,
    sha256: result.sha256,
    consistency: manifest.consistency,
    serverVersion: manifest.serverVersion,
    tables: result.tables,
    rows: result.rows,
  };
}
