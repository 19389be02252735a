import { basename } from 'node:path';
import {
  ArchiveReader,
  ArchiveWriter,
  type BackupResult,
  type OperationOptions,
  type VerifyRestoreResult,
} from '@dbbackup/archive';
import type { BackupKind, BackupOutcome } from '@dbbackup/catalog';
import { resolveCompression } from '@dbbackup/pipeline';
import type { AbortableOutput } from '../archive-io/abort-on-signal.js';
import { ensureBackupDirectory } from '../archive-io/backup-directory.js';
import type { BackupRun } from '../catalog-io/run-recorder.js';
import { writeSidecar } from '../catalog-io/run-recorder.js';
import type { CommandContext } from '../cli/command-context.js';
import { openCloudArchiveSource } from '../cloud-io/cloud-archive-source.js';
import { isCloudLocation } from '../cloud-io/cloud-object.js';
import {
  type CloudTarget,
  closeCloudTarget,
  logUpload,
  openCloudTarget,
  type SidecarFields,
  startStreamingUpload,
  uploadFile,
} from '../cloud-io/cloud-upload.js';
import type { ResolvedConfig } from '../config/settings.js';
import { operationOptions } from '../engines/operation-options.js';
import type { SelectedEngine } from '../engines/select-engine.js';
import { CliError, PartialFailureError } from '../errors/cli-errors.js';
import type { Hooks } from '../hooks/run-hook.js';
import { type BackupEncryption, prepareBackupEncryption } from '../keys/backup-encryption.js';
import { notifyVerification } from '../notify-io/verification-notice.js';
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
  const localPath = job.filePath(directory, new Date());
  const cloud =
    config.cloud === undefined ? undefined : await openCloudTarget(context, config.cloud, basename(localPath));
  const keepLocal = cloud === undefined || config.keepLocal;
  if (keepLocal) await ensureBackupDirectory(directory);
  // Where the backup lives: its cloud URI when uploaded, else the file.
  const path = cloud?.uri ?? localPath;
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
  const target: ArchiveTarget = { localPath: keepLocal ? localPath : undefined, cloud };
  const sidecar = {
    database: job.database,
    engine: selected.name,
    kind: job.kind,
    encrypted: encryption !== undefined,
  };
  let written: { result: BackupResult; run: BackupRun };
  try {
    written = await runRecordedBackup(context, recorded, async () => {
      const result = await writeArchiveTo(context, selected, operation, target, encryption, sidecar);
      return { result, outcome: backupOutcome(result) };
    });
  } finally {
    await closeCloudTarget(cloud);
  }
  const { result, run } = written;

  let verification: VerifyRestoreResult | undefined;
  try {
    if (job.verifyRestore) {
      // The local copy when there is one; else the uploaded archive, read back from the store.
      verification = await verifyRestore(context, selected, keepLocal ? localPath : path, encryption);
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
      notifyVerification(context, {
        path,
        database: job.database,
        engine: selected.name,
        kind: 'restore',
        result: record.result,
        detail: record.detail,
      });
      if (keepLocal) await writeSidecar(context, { path: localPath, sha256: result.sha256 }, record);
    }
  } finally {
    await run.close();
  }

  const report: BackupReport = backupReport(result, {
    engine: selected.name,
    database: job.database,
    warnings: [...(encryption?.warnings ?? []), ...result.warnings],
    verification,
    extras: { ...job.extras(result), ...(cloud ? { cloud_uri: cloud.uri } : {}) },
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

/** Where an archive is written: a local file, the cloud, or both (--cloud --keep-local). */
interface ArchiveTarget {
  localPath: string | undefined;
  cloud: CloudTarget | undefined;
}

/**
 * Writes the archive to its target. Local only: `<file>.partial`, renamed when complete. Cloud only: streamed straight
 * into a multipart upload, the manifest sidecar published last (a failure or Ctrl-C aborts the upload, so nothing
 * is listed). Both: the local file first, then it is uploaded. The result's `path` is the cloud URI when uploaded.
 */
async function writeArchiveTo(
  context: CommandContext,
  selected: SelectedEngine,
  operation: ArchiveOperation,
  target: ArchiveTarget,
  encryption: BackupEncryption | undefined,
  sidecar: SidecarFields,
): Promise<BackupResult> {
  const { config, logger } = context;
  const options = {
    engine: selected.name,
    toolVersion: CLI_VERSION,
    compression: archiveCompression(config),
    source: backupSource(config),
    ...(encryption ? { encryption: { dataKey: encryption.dataKey, header: encryption.header } } : {}),
  };
  const run = (writer: ArchiveWriter) =>
    writeGuarded(context, writer, () => operation({ ...operationOptions(context, 'backup'), writer }));
  const { localPath, cloud } = target;
  if (localPath !== undefined) {
    logger.debug(`writing ${localPath}.partial with ${config.jobs} jobs`);
    const result = await run(await ArchiveWriter.createFile(localPath, options));
    if (!cloud) return result;
    logUpload(context, cloud);
    const published = await uploadFile(context, cloud, localPath, sidecar);
    if (published.sha256 !== result.sha256) {
      throw new CliError(
        `the upload of ${localPath} to ${cloud.uri} does not match the file (sha256 ${published.sha256} instead of ${result.sha256}); run the backup again`,
        2,
      );
    }
    return { ...result, path: cloud.uri };
  }
  if (!cloud) throw new Error('an archive target needs a local path or a cloud URI');
  logUpload(context, cloud);
  const upload = startStreamingUpload(cloud, sidecar);
  const writer = await ArchiveWriter.create(upload.sink, options);
  // One guard for writing and uploading: a failure or Ctrl-C at any point until the sidecar is published stops the
  // writer, ends the upload stream, and waits for the store to abort the multipart upload before the command ends.
  const streamed: AbortableOutput = {
    abort: async (error) => {
      await writer.abort(error).catch(() => undefined);
      upload.sink.destroy(error);
      await upload.published.catch(() => undefined);
    },
  };
  const { result, published } = await writeGuarded(context, streamed, async () => {
    const result = await operation({ ...operationOptions(context, 'backup'), writer });
    return { result, published: await upload.published };
  });
  if (published.sha256 !== result.sha256 || published.size !== result.bytes) {
    throw new CliError(
      `the upload to ${cloud.uri} holds ${published.size} bytes with sha256 ${published.sha256}, but the archive written has ${result.bytes} bytes with sha256 ${result.sha256}; run the backup again`,
      2,
    );
  }
  return { ...result, path: cloud.uri };
}

/** Restores the new archive into temporary databases (every database of a cluster archive) and compares. */
async function verifyRestore(
  context: CommandContext,
  selected: SelectedEngine,
  path: string,
  encryption: BackupEncryption | undefined,
): Promise<VerifyRestoreResult> {
  const source = isCloudLocation(path) ? await openCloudArchiveSource(context, path) : path;
  const reader = await ArchiveReader.open(source, {
    closeSource: true,
    ...(encryption ? { keyProvider: () => Promise.resolve(encryption.masterKey) } : {}),
  });
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
