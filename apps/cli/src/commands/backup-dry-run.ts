import { basename } from 'node:path';
import type { ConnectionOptions } from '@dbbackup/archive';
import { formatBytes } from '@dbbackup/pipeline';
import { type DirectoryCheck, inspectBackupDirectory } from '../archive-io/backup-directory.js';
import type { CommandContext } from '../cli/command-context.js';
import { closeCloudTarget, openCloudTarget } from '../cloud-io/cloud-upload.js';
import { type DryRunCheck, DryRunChecklist, renderChecks } from '../dry-run/dry-run-checks.js';
import { connectionOptions } from '../engines/engine-options.js';
import type { SelectedEngine } from '../engines/select-engine.js';
import { prepareBackupEncryption } from '../keys/backup-encryption.js';
import type { BackupTarget } from './backup-target.js';

interface BackupDryRunReport {
  dry_run: true;
  ok: boolean;
  /** null for a cluster backup. */
  database: string | null;
  engine: string;
  path: string;
  checks: DryRunCheck[];
}

/**
 * `backup ... --dry-run`: connects, checks and estimates what the backup would hold (the target's size check: one
 * database or a cluster's), checks that the backup directory is writable (or creatable) with room for the
 * estimate and loads the key when --encrypt; writes nothing. Prints every check, then fails (exit 2) with the
 * first failing check's message.
 */
export async function backupDryRun(
  context: CommandContext,
  selected: SelectedEngine,
  target: BackupTarget,
  directory: string,
  label: 'dry run' | 'preflight' = 'dry run',
): Promise<void> {
  const { config } = context;
  const connection = connectionOptions(config);
  const checks = new DryRunChecklist();

  const server = await checks.run('server', async () => {
    const version = await selected.engine.serverVersion(connection);
    return { value: version, detail: `${selected.name} ${version.version}` };
  });
  let estimate: { dataBytes: number } | undefined;
  if (server) await privilegesCheck(checks, selected, connection, target.database, context);
  else checks.skip('privileges', 'needs a connection to the server');
  if (server) {
    estimate = await checks.run(target.sizeCheck.name, async () => {
      const size = await target.sizeCheck.estimate(selected, connection);
      return { value: size, detail: size.detail };
    });
  } else {
    checks.skip(target.sizeCheck.name, 'needs a connection to the server');
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

  let path = target.filePath(directory, new Date());
  if (config.cloud !== undefined) {
    const uploaded = await checks.run('cloud', () => cloudCheck(context, config.cloud as string, basename(path)));
    if (uploaded !== undefined) path = uploaded;
  }
  const failure = checks.firstFailure;
  const report: BackupDryRunReport = {
    dry_run: true,
    ok: failure === undefined,
    database: target.database,
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
        `${label}: a backup would write ${path} (${compression}, ${config.jobs} jobs${config.encrypt ? ', encrypted' : ''}); nothing was written`,
      ];
  context.output.result(report, (document) => renderChecks(document.checks, plan));
  checks.assertPassed();
}

/**
 * What the backup needs from the connecting user (the engine's own check; an engine without one is skipped). A
 * missing database fails here with its name, before the size estimate. Degradations the backup would warn about
 * are listed with the check's detail; what is missing fails the check.
 */
async function privilegesCheck(
  checks: DryRunChecklist,
  selected: SelectedEngine,
  connection: ConnectionOptions,
  database: string | null,
  context: CommandContext,
): Promise<void> {
  const check = selected.engine.checkBackupPrivileges?.bind(selected.engine);
  if (!check) {
    checks.skip('privileges', `the ${selected.name} engine cannot check privileges ahead of a backup`);
    return;
  }
  await checks.run('privileges', async () => {
    const found = await check(connection, database);
    for (const warning of found.warnings) context.logger.warn(warning);
    if (!found.ok) {
      throw new Error(
        `${found.account} lacks what the backup needs: ${found.missing.join('; ')}; grant it, or back up as a user that has it`,
      );
    }
    const warned =
      found.warnings.length > 0
        ? ` (${found.warnings.length} warning${found.warnings.length === 1 ? '' : 's'} above)`
        : '';
    return { value: found, detail: `${found.account}: ${found.detail}${warned}` };
  });
}

/**
 * --cloud: the storage is reachable and the credentials work, by listing the target folder (it writes nothing, as
 * a dry run must). Resolves with the URI the archive would be uploaded to.
 */
async function cloudCheck(
  context: CommandContext,
  folderUri: string,
  name: string,
): Promise<{ value: string; detail: string }> {
  const target = await openCloudTarget(context, folderUri, name);
  try {
    const started = performance.now();
    let objects = 0;
    for await (const _ of target.storage.backend.list(target.storage.prefix)) {
      objects += 1;
      if (objects >= 1000) break;
    }
    const elapsed = Math.round(performance.now() - started);
    return {
      value: target.uri,
      detail: `${target.storage.uri} answered in ${elapsed} ms (${objects >= 1000 ? '1000+' : objects} objects listed); credentials accepted`,
    };
  } finally {
    await closeCloudTarget(target);
  }
}

function freeSpaceCheck(
  place: DirectoryCheck,
  estimate: { dataBytes: number },
  directory: string,
): Promise<{ value: number; detail: string }> {
  // Table data uncompressed is an upper bound for the archive (compression only shrinks it; the schema is small).
  const needed = estimate.dataBytes;
  if (place.freeBytes < needed) {
    return Promise.reject(
      new Error(
        `not enough free space for ${directory}: ${formatBytes(place.freeBytes)} free but the backup holds about ${formatBytes(needed)} of table data; free space or choose another --backup-dir`,
      ),
    );
  }
  return Promise.resolve({
    value: place.freeBytes,
    detail: `${formatBytes(place.freeBytes)} free, the backup needs at most about ${formatBytes(needed)}`,
  });
}
