import type { SizeEstimate } from '@dbbackup/archive';
import { formatBytes, formatCount } from '@dbbackup/pipeline';
import { type DirectoryCheck, inspectBackupDirectory } from '../archive-io/backup-directory.js';
import { backupFilePath } from '../archive-io/backup-file-name.js';
import type { CommandContext } from '../cli/command-context.js';
import { type DryRunCheck, DryRunChecklist, renderChecks } from '../dry-run/dry-run-checks.js';
import { connectionOptions } from '../engines/engine-options.js';
import type { SelectedEngine } from '../engines/select-engine.js';
import { prepareBackupEncryption } from '../keys/backup-encryption.js';

interface BackupDryRunReport {
  dry_run: true;
  ok: boolean;
  database: string;
  engine: string;
  path: string;
  checks: DryRunCheck[];
}

/**
 * `backup single --dry-run`: connects, checks the database and estimates it, checks that the backup directory is
 * writable (or creatable) with room for the estimate and loads the key when --encrypt; writes nothing. Prints
 * every check, then fails (exit 2) with the first failing check's message.
 */
export async function backupDryRun(
  context: CommandContext,
  selected: SelectedEngine,
  database: string,
  directory: string,
): Promise<void> {
  const { config } = context;
  const connection = connectionOptions(config);
  const checks = new DryRunChecklist();

  const server = await checks.run('server', async () => {
    const version = await selected.engine.serverVersion(connection);
    return { value: version, detail: `${selected.name} ${version.version}` };
  });
  let estimate: SizeEstimate | undefined;
  if (server) {
    estimate = await checks.run('database', async () => {
      const size = await selected.engine.estimateSize(connection, database);
      return {
        value: size,
        detail: `${database}: ${size.tables} tables${size.rows > 0 ? `, about ${formatCount(size.rows)} rows` : ''}, ${formatBytes(size.dataBytes)} of table data`,
      };
    });
  } else {
    checks.skip('database', 'needs a connection to the server');
  }

  const place = await checks.run('backup directory', async () => {
    const inspected = await inspectBackupDirectory(directory);
    if (!inspected.writable) {
      throw new Error(
        `cannot write to ${inspected.existingAncestor}; choose another --backup-dir or fix its permissions`,
      );
    }
    return {
      value: inspected,
      detail: inspected.exists ? `${directory} is writable` : `${directory} would be created`,
    };
  });
  if (place && estimate) {
    await checks.run('free space', async () => freeSpaceCheck(place, estimate, directory));
  } else {
    checks.skip('free space', estimate ? 'needs a usable backup directory' : 'needs the size estimate');
  }

  if (config.encrypt) {
    await checks.run('encryption key', async () => {
      const encryption = await prepareBackupEncryption(config, context.sources, context.env, context.logger);
      return { value: encryption, detail: `${encryption?.keySource ?? 'none'} (key id ${encryption?.header.keyId})` };
    });
  }

  const path = backupFilePath(directory, database, new Date());
  const failure = checks.firstFailure;
  const report: BackupDryRunReport = {
    dry_run: true,
    ok: failure === undefined,
    database,
    engine: selected.name,
    path,
    checks: checks.checks,
  };
  const compression =
    config.compressionAlgorithm === 'none'
      ? 'uncompressed'
      : `${config.compressionAlgorithm}${config.compressionLevel !== undefined ? ` level ${config.compressionLevel}` : ''}`;
  const plan = failure
    ? []
    : [
        `dry run: would write ${path} (${compression}, ${config.jobs} jobs${config.encrypt ? ', encrypted' : ''}); nothing was written`,
      ];
  context.output.result(report, (document) => renderChecks(document.checks, plan));
  checks.assertPassed();
}

function freeSpaceCheck(
  place: DirectoryCheck,
  estimate: SizeEstimate,
  directory: string,
): Promise<{ value: number; detail: string }> {
  // Table data uncompressed is an upper bound for the archive (compression only shrinks it; the schema is small).
  const needed = estimate.dataBytes;
  if (place.freeBytes < needed) {
    return Promise.reject(
      new Error(
        `not enough free space for ${directory}: ${formatBytes(place.freeBytes)} free but the database holds about ${formatBytes(needed)} of table data; free space or choose another --backup-dir`,
      ),
    );
  }
  return Promise.resolve({
    value: place.freeBytes,
    detail: `${formatBytes(place.freeBytes)} free, the backup needs at most about ${formatBytes(needed)}`,
  });
}
