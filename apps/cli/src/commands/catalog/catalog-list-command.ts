import type { Command } from 'commander';
import { z } from 'zod';
import { withCatalog } from '../../catalog-io/open-catalog.js';
import { commandAction } from '../../cli/command-action.js';
import type { CommandContext } from '../../cli/command-context.js';
import { addExamples } from '../../cli/help-examples.js';
import { type BackupDocument, backupDocument } from './backup-document.js';
import { renderBackupTable } from './backup-table.js';

const listOptions = z.object({
  database: z.string().min(1).optional(),
  limit: z.coerce.number().int().positive().optional(),
});

/** The JSON document of `catalog list` and `catalog search`. */
export interface BackupListReport {
  catalog: string;
  backups: BackupDocument[];
}

/** `dbbackup catalog list`: the backups the catalog knows, newest first. */
export function registerCatalogList(catalog: Command): void {
  const command = catalog
    .command('list')
    .description('the backups in the catalog, newest first: database, engine, host, time, size, status, verification')
    .option('--database <name>', 'only backups of this database')
    .option('--limit <n>', 'at most this many (the newest)');
  addExamples(command, [
    { description: 'every backup the catalog knows', command: 'dbbackup catalog list' },
    { description: 'the last 10 backups of shop', command: 'dbbackup catalog list --database shop --limit 10' },
    { description: 'as JSON', command: 'dbbackup catalog list --format json' },
  ]);
  command.action(commandAction((context) => listCatalog(context)));
}

async function listCatalog(context: CommandContext): Promise<void> {
  const options = context.options(listOptions);
  const report = await withCatalog(context, async (catalog) => ({
    catalog: catalog.path,
    backups: (
      await catalog.listBackups({
        ...(options.database !== undefined ? { database: options.database } : {}),
        ...(options.limit !== undefined ? { limit: options.limit } : {}),
      })
    ).map(backupDocument),
  }));
  context.output.result(report satisfies BackupListReport, (document) =>
    document.backups.length === 0
      ? `no backups in the catalog ${document.catalog}${options.database ? ` for database ${options.database}` : ''}; run dbbackup catalog sync DIR to add the backups of a directory`
      : renderBackupTable(document.backups),
  );
}
