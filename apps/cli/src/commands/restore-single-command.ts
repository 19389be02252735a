import type { Command } from 'commander';
import { z } from 'zod';
import { commandAction } from '../cli/command-action.js';
import { addExamples } from '../cli/help-examples.js';
import { addHookOptions, hookOptionsSchema } from '../hooks/hook-options.js';
import { RESTORE_MODES, restoreModeOption } from './restore-mode-option.js';
import { restoreSingle } from './restore-single.js';

const restoreSingleOptions = hookOptionsSchema.extend({
  target: z.string().min(1, 'name the database to restore into'),
  sourceDatabase: z.string().min(1, 'name a database of the cluster backup').optional(),
  create: z.boolean().optional(),
  confirm: z.boolean().optional(),
  clean: z.boolean().optional(),
  restoreMode: z.enum(RESTORE_MODES).optional(),
  tieredRestore: z.boolean().optional(),
  criticalTables: z.string().optional(),
});
export type RestoreSingleOptions = z.infer<typeof restoreSingleOptions>;

/** `dbbackup restore single PATH --target DB`: one archive (or one database of a cluster archive) into one database. */
export function registerRestoreSingle(restore: Command): void {
  const single = restore
    .command('single')
    .description('restore one database backup; the archive and its key are checked before any database is touched')
    .argument('<path>', 'the backup file (.dbb.tar)')
    .requiredOption('--target <database>', 'database to restore into')
    .option('--source-database <name>', 'for a cluster backup: which of its databases to restore')
    .option('--create', 'create the target database (fails if it exists)')
    .option('--confirm', 'allow restoring into an existing, non-empty database')
    .option('--clean', 'drop every object in the target first (needs --confirm)')
    .addOption(restoreModeOption())
    .option('--tiered-restore', 'restore the --critical-tables (data and indexes) before all other tables')
    .option(
      '--critical-tables <patterns>',
      'comma-separated table globs for --tiered-restore: "user*,billing.payment*"',
    );
  addHookOptions(single, 'restore');
  addExamples(single, [
    {
      description: 'into a new database with 4 workers',
      command: 'dbbackup restore single ./backups/shop-20261123T221500Z.dbb.tar --target shop_copy --create --jobs 4',
    },
    {
      description: 'replace the contents of an existing database',
      command: 'dbbackup restore single shop-20261123T221500Z.dbb.tar --target shop --clean --confirm',
    },
    {
      description: 'an encrypted backup',
      command:
        'dbbackup restore single shop-20261123T221500Z.dbb.tar --target shop_copy --create --encryption-key-file ~/.dbbackup.key',
    },
    {
      description: 'one database out of a cluster backup, under a new name',
      command:
        'dbbackup restore single cluster-db1-20261123T221500Z.dbb.tar --source-database shop --target shop_copy --create',
    },
    {
      description: 'users and payments first, usable while the rest loads',
      command:
        'dbbackup restore single shop-20261123T221500Z.dbb.tar --target shop2 --create --tiered-restore --critical-tables "user*,payment*"',
    },
    {
      description: 'check archive, key and target without changing anything',
      command: 'dbbackup restore single shop-20261123T221500Z.dbb.tar --target shop --confirm --dry-run',
    },
  ]);
  single.action(
    commandAction(async (context, path: string) => {
      await restoreSingle(context, path, context.options(restoreSingleOptions));
    }),
  );
}
