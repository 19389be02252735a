import type { Command } from 'commander';
import { z } from 'zod';
import { withCatalog } from '../../catalog-io/open-catalog.js';
import { commandAction } from '../../cli/command-action.js';
import type { CommandContext } from '../../cli/command-context.js';
import { addExamples } from '../../cli/help-examples.js';
import { UsageError } from '../../errors/cli-errors.js';
import { backupDocument } from './backup-document.js';
import { displayTime, renderBackupTable } from './backup-table.js';
import type { BackupListReport } from './catalog-list-command.js';
import { parseTimeArgument } from './time-argument.js';

const searchOptions = z.object({
  database: z.string().min(1).optional(),
  after: z.string().optional(),
  before: z.string().optional(),
  limit: z.coerce.number().int().positive().optional(),
});

/** `dbbackup catalog search`: backups of a database within a time window. */
export function registerCatalogSearch(catalog: Command): void {
  const command = catalog
    .command('search')
    .description('backups started within a time window (newest first), optionally of one database')
    .option('--database <name>', 'only backups of this database')
    .option('--after <time>', 'started at or after: ISO date/time (UTC unless a zone is given) or a duration ago (7d)')
    .option('--before <time>', 'started before: ISO date/time or a duration ago (1d)')
    .option('--limit <n>', 'at most this many (the newest)');
  addExamples(command, [
    {
      description: 'backups of shop in the last 7 days',
      command: 'dbbackup catalog search --database shop --after 7d',
    },
    {
      description: 'backups of shop during November 2026',
      command: 'dbbackup catalog search --database shop --after 2026-11-01 --before 2026-12-01',
    },
    {
      description: 'everything between two instants, as JSON',
      command: 'dbbackup catalog search --after 2026-11-23T00:00:00Z --before 2026-11-24T06:00:00+01:00 --format json',
    },
  ]);
  command.action(commandAction((context) => searchCatalog(context)));
}

async function searchCatalog(context: CommandContext): Promise<void> {
  const options = context.options(searchOptions);
  if (options.database === undefined && options.after === undefined && options.before === undefined) {
    throw new UsageError(
      'catalog search needs --database, --after or --before; use dbbackup catalog list to see every backup',
    );
  }
  const now = new Date();
  const after = options.after === undefined ? undefined : parseTimeArgument('--after', options.after, now);
  const before = options.before === undefined ? undefined : parseTimeArgument('--before', options.before, now);
  const report = await withCatalog(context, async (catalog) => ({
    catalog: catalog.path,
    backups: (
      await catalog.listBackups({
        ...(options.database !== undefined ? { database: options.database } : {}),
        ...(after !== undefined ? { after } : {}),
        ...(before !== undefined ? { before } : {}),
        ...(options.limit !== undefined ? { limit: options.limit } : {}),
      })
    ).map(backupDocument),
  }));
  const window = [
    options.database !== undefined ? `of database ${options.database}` : undefined,
    after !== undefined ? `from ${displayTime(after)}` : undefined,
    before !== undefined ? `before ${displayTime(before)}` : undefined,
  ]
    .filter((part) => part !== undefined)
    .join(' ');
  context.output.result(report satisfies BackupListReport, (document) =>
    document.backups.length === 0 ? `no backups ${window} (UTC)` : renderBackupTable(document.backups),
  );
}
