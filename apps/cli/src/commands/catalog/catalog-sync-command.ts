import { resolve } from 'node:path';
import type { KeyProvider } from '@dbbackup/archive';
import { syncDirectory } from '@dbbackup/catalog';
import type { Command } from 'commander';
import { withCatalog } from '../../catalog-io/open-catalog.js';
import { commandAction } from '../../cli/command-action.js';
import type { CommandContext } from '../../cli/command-context.js';
import { addExamples } from '../../cli/help-examples.js';
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
    .argument('<dir>', 'directory holding the backups (cloud storage is not supported yet)');
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
      description: 'a separate catalog file, as JSON',
      command: 'dbbackup catalog sync ./backups --catalog ./catalog.db --format json',
    },
  ]);
  command.action(commandAction((context, directory: string) => syncCatalog(context, directory)));
}

async function syncCatalog(context: CommandContext, directoryArgument: string): Promise<void> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(directoryArgument)) {
    throw new UsageError(
      `catalog sync reads a local directory only so far, not ${directoryArgument}: cloud storage is not supported yet; copy the backups into a directory and sync that`,
    );
  }
  const directory = resolve(context.cwd, directoryArgument);
  const keyProvider = syncKeyProvider(context);
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
