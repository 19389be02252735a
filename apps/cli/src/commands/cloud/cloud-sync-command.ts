import { basename, resolve } from 'node:path';
import { type ScannedBackup, scanBackupDirectory } from '@dbbackup/catalog';
import { deletePublishedBackup, listPublishedBackups, type OpenedStorage } from '@dbbackup/cloud';
import { formatBytes } from '@dbbackup/pipeline';
import type { Command } from 'commander';
import { z } from 'zod';
import { commandAction } from '../../cli/command-action.js';
import type { CommandContext } from '../../cli/command-context.js';
import { addExamples } from '../../cli/help-examples.js';
import { isCloudLocation } from '../../cloud-io/cloud-object.js';
import { publishLocalFile } from '../../cloud-io/publish-local-file.js';
import { PartialFailureError, UsageError } from '../../errors/cli-errors.js';
import { renderKeyValues } from '../../output/render-table.js';
import { folderUriOf, requireCloudFolder, withCloudStorage } from './cloud-storage.js';
import type { SidecarFields } from './local-backup-facts.js';

const syncOptions = z.object({ delete: z.boolean().optional() });

interface SyncEntry {
  name: string;
  uri: string;
  size: number;
}

/** The JSON document of `cloud sync` (with --dry-run: what it would do). */
interface CloudSyncReport {
  directory: string;
  cloud: string;
  dry_run: boolean;
  uploaded: SyncEntry[];
  deleted: SyncEntry[];
  skipped: Array<{ name: string; reason: string }>;
  failed: Array<{ name: string; error: string }>;
}

/** `dbbackup cloud sync DIR --cloud URI [--delete]`: make the cloud folder hold the directory's complete backups. */
export function registerCloudSync(cloud: Command): void {
  const command = cloud
    .command('sync')
    .description(
      'upload every complete backup in DIR (archives whose manifest reads, dbbackup SQL scripts) that the --cloud folder lacks or holds with another size, each published with its sidecar',
    )
    .argument('<dir>', 'the local backup directory (its files, not subdirectories)')
    .option('--delete', 'also delete cloud backups (sidecar first) that DIR does not have');
  addExamples(command, [
    { description: 'upload what is missing', command: 'dbbackup cloud sync /var/backups --cloud s3://backups/prod/' },
    {
      description: 'mirror the directory, showing the plan first',
      command: 'dbbackup cloud sync /var/backups --cloud s3://backups/prod/ --delete --dry-run',
    },
    {
      description: 'to an SFTP server, as JSON',
      command:
        'dbbackup cloud sync /var/backups --cloud sftp://backup@nas.example.com/srv/backups/ --sftp-key ~/.ssh/id_ed25519 --format json',
    },
  ]);
  command.action(commandAction((context, directory: string) => syncToCloud(context, directory)));
}

async function syncToCloud(context: CommandContext, directoryArgument: string): Promise<void> {
  if (isCloudLocation(directoryArgument)) {
    throw new UsageError(`cloud sync copies a local directory to --cloud; ${directoryArgument} is not a directory`);
  }
  const uri = requireCloudFolder(context, 'sync');
  const { delete: deleteExtra } = context.options(syncOptions);
  const directory = resolve(context.cwd, directoryArgument);
  const dryRun = context.config.dryRun;
  const local: ScannedBackup[] = [];
  for await (const scanned of scanBackupDirectory(directory, {
    recursive: false,
    hash: false,
    onFile: (path) => context.progress.update(`sync: reading ${basename(path)}`),
  })) {
    local.push(scanned);
  }
  context.progress.stop();

  const report = await withCloudStorage(context, uri, async (opened) => {
    const document: CloudSyncReport = {
      directory,
      cloud: opened.uri,
      dry_run: dryRun,
      uploaded: [],
      deleted: [],
      skipped: [],
      failed: [],
    };
    const remote = await remoteSizes(opened);
    for (const scanned of local) {
      const name = basename(scanned.path);
      const uriOf = `${folderUriOf(opened)}${name}`;
      if (scanned.state !== 'complete' || scanned.record === null) {
        document.skipped.push({ name, reason: `${scanned.state}${scanned.note ? `: ${scanned.note}` : ''}` });
        continue;
      }
      if (remote.get(name) === scanned.bytes) {
        document.skipped.push({ name, reason: 'already in the cloud (same size)' });
        continue;
      }
      if (!dryRun) {
        try {
          await publishLocalFile(
            context,
            opened.backend,
            { key: `${opened.prefix}${name}`, name },
            { path: scanned.path, size: scanned.bytes, fields: fieldsOf(scanned) },
          );
        } catch (error) {
          document.failed.push({ name, error: error instanceof Error ? error.message : String(error) });
          continue;
        }
      }
      document.uploaded.push({ name, uri: uriOf, size: scanned.bytes });
    }
    if (deleteExtra === true) {
      // Every local backup file counts as present, even an unfinished one: its cloud copy may be the good one.
      const present = new Set(local.map((scanned) => basename(scanned.path)));
      for (const [name, size] of remote) {
        if (present.has(name)) continue;
        if (!dryRun) {
          try {
            await deletePublishedBackup(opened.backend, `${opened.prefix}${name}`);
          } catch (error) {
            document.failed.push({ name, error: error instanceof Error ? error.message : String(error) });
            continue;
          }
        }
        document.deleted.push({ name, uri: `${folderUriOf(opened)}${name}`, size });
      }
    }
    return document;
  });
  context.output.result(report, renderSyncReport);
  if (report.failed.length > 0) {
    throw new PartialFailureError(
      `cloud sync: ${report.failed.length} backup${report.failed.length === 1 ? '' : 's'} failed (${report.failed[0]?.name}: ${report.failed[0]?.error}); run it again to retry them`,
    );
  }
  if (!dryRun) await context.saveConfigAfterSuccess();
}

/** Published backups directly in the folder (not in subfolders): name → archive size. */
async function remoteSizes(opened: OpenedStorage): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  for (const { archive } of await listPublishedBackups(opened.backend, opened.prefix)) {
    const name = archive.key.slice(opened.prefix.length);
    if (!name.includes('/')) sizes.set(name, archive.size);
  }
  return sizes;
}

function fieldsOf(scanned: ScannedBackup): SidecarFields {
  const record = scanned.record;
  if (record === null) return {};
  return { database: record.database, engine: record.engine, createdAt: record.startedAt };
}

function renderSyncReport(report: CloudSyncReport): string {
  const would = report.dry_run ? 'would ' : '';
  const lines = [
    renderKeyValues([
      ['directory', report.directory],
      ['cloud', report.cloud],
      [`${would}upload`, report.uploaded.length],
      [`${would}delete`, report.deleted.length],
      ['skipped', report.skipped.length],
      ['failed', report.failed.length],
    ]),
  ];
  const section = (title: string, rows: string[]) => {
    if (rows.length > 0) lines.push(`${title}:`, ...rows.map((row) => `  ${row}`), '');
  };
  section(
    `${would}upload`,
    report.uploaded.map((entry) => `${entry.name} (${formatBytes(entry.size)})`),
  );
  section(
    `${would}delete`,
    report.deleted.map((entry) => `${entry.name} (${formatBytes(entry.size)})`),
  );
  section(
    'skipped',
    report.skipped.map((entry) => `${entry.name}: ${entry.reason}`),
  );
  section(
    'failed',
    report.failed.map((entry) => `${entry.name}: ${entry.error}`),
  );
  return lines.join('\n');
}
