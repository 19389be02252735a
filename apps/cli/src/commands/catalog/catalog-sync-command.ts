import { resolve } from 'node:path';
import type { KeyProvider } from '@dbbackup/archive';
import { syncDirectory } from '@dbbackup/catalog';
import type { Command } from 'commander';
import { withCatalog } from '../../catalog-io/open-catalog.js';
import { syncCloudFolder } from '../../catalog-io/sync-cloud.js';
import { commandAction } from '../../cli/command-action.js';
import type { CommandContext } from '../../cli/command-context.js';
import { addExamples } from '../../cli/help-examples.js';
import { isCloudLocation } from '../../cloud-io/cloud-object.js';
import { UsageError } from '../../errors/cli-errors.js';
import { archiveKeyProvider } from '../../keys/archive-key-provider.js';
import { PASSPHRASE_ENV } from '../../keys/passphrase.js';
import { renderKeyValues } from '../../output/render-table.js';

/** The JSON document of `catalog sync`. */
interface SyncReport {
  directory: string;
  catalog: string;
  scanned: number;
  added: number;
  updated: number;
  skipped: Array<{ path: string; reason: string }>;
  notes: string[];
}

/** `dbbackup catalog sync DIR`: (re)build the catalog from the backups in a directory. */
export function registerCatalogSync(catalog: Command): void {
  const command = catalog
    .command('sync')
    .description(
      'add or refresh the catalog entries of every backup in DIR (recursively) from the backups themselves: manifests, SQL script headers, verification files',
    )
    .argument('<dir|uri>', 'directory holding the backups, or a cloud folder (s3://, azure://, gcs://, sftp://)');
  addExamples(command, [
    {
      description: 'rebuild the catalog from the backups in /var/backups',
      command: 'dbbackup catalog sync /var/backups',
    },
    {
      description: 'read encrypted backups fully (tables, rows, consistency point)',
      command: 'dbbackup catalog sync /var/backups --encryption-key-file ~/.dbbackup.key',
    },
    {
      description: 'the backups in a bucket (read in place: only each archive’s header and manifest)',
      command: 'dbbackup catalog sync s3://backups/prod/',
    },
    {
      description: 'a separate catalog file, as JSON',
      command: 'dbbackup catalog sync ./backups --catalog ./catalog.db --format json',
    },
  ]);
  command.action(commandAction((context, directory: string) => syncCatalog(context, directory)));
}

async function syncCatalog(context: CommandContext, directoryArgument: string): Promise<void> {
  const keyProvider = syncKeyProvider(context);
  if (isCloudLocation(directoryArgument)) {
    const report = await withCatalog(context, async (catalog) => {
      const result = await syncCloudFolder(context, catalog, directoryArgument, keyProvider);
      return { directory: directoryArgument, catalog: catalog.path, ...result } satisfies SyncReport;
    });
    context.output.result(report, renderSyncReport);
    await context.saveConfigAfterSuccess();
    return;
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(directoryArgument) && !directoryArgument.startsWith('file://')) {
    throw new UsageError(
      `catalog sync reads a directory or s3://, azure://, gcs:// or sftp:// folders, not ${directoryArgument}`,
    );
  }
  const directory = resolve(context.cwd, directoryArgument.replace(/^file:\/\//, ''));
  const report = await withCatalog(context, async (catalog) => {
    const result = await syncDirectory(catalog, directory, {
      ...(keyProvider ? { keyProvider } : {}),
      onFile: (path) => context.progress.update(`sync: ${path}`),
    });
    return { directory, catalog: catalog.path, ...result } satisfies SyncReport;
  });
  context.progress.stop();
  context.output.result(report, renderSyncReport);
  await context.saveConfigAfterSuccess();
}

/**
 * The key for encrypted archives, only when one is at hand without asking (a key file, or the passphrase in the
 * environment): a sync runs over many files unattended, so it never stops at a passphrase prompt. Archives it
 * cannot open are recorded from their plain header, with a note.
 */
function syncKeyProvider(context: CommandContext): KeyProvider | undefined {
  const { config, env, logger } = context;
  if (config.encryptionKeyFile === undefined && !env[PASSPHRASE_ENV]) return undefined;
  return archiveKeyProvider({ keyFile: config.encryptionKeyFile, env, logger });
}

function renderSyncReport(report: SyncReport): string {
  const lines = [
    renderKeyValues([
      ['directory', report.directory],
      ['catalog', report.catalog],
      ['backups found', report.scanned],
      ['added', report.added],
      ['updated', report.updated],
      ['skipped', report.skipped.length],
    ]),
  ];
  if (report.skipped.length > 0) {
    lines.push('skipped:', ...report.skipped.map((entry) => `  ${entry.path}: ${entry.reason}`), '');
  }
  if (report.notes.length > 0) lines.push('notes:', ...report.notes.map((note) => `  ${note}`), '');
  return lines.join('\n');
}
