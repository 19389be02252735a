import { Option } from 'commander';
import { z } from 'zod';
import { commandAction } from '../cli/command-action.js';
import { addExamples } from '../cli/help-examples.js';
import type { CommandModule } from './command-module.js';
import { restoreSingle } from './restore-single.js';

export const RESTORE_MODES = ['safe', 'balanced', 'turbo'] as const;

const restoreSingleOptions = z.object({
  target: z.string().min(1, 'name the database to restore into'),
  create: z.boolean().optional(),
  confirm: z.boolean().optional(),
  clean: z.boolean().optional(),
  restoreMode: z.enum(RESTORE_MODES).optional(),
  tieredRestore: z.boolean().optional(),
  criticalTables: z.string().optional(),
});
export type RestoreSingleOptions = z.infer<typeof restoreSingleOptions>;

/** `dbbackup restore single PATH --target DB`: one archive into one database. */
export const restoreCommand: CommandModule = {
  register(parent) {
    const restore = parent.command('restore').description('restore dbbackup archives into databases');
    addExamples(restore, [
      {
        description: 'restore a backup into a new database',
        command: 'dbbackup restore single ./backups/shop-20261123T221500Z.dbb.tar --target shop_copy --create',
      },
    ]);

    const single = restore
      .command('single')
      .description('restore one database backup; the archive and its key are checked before any database is touched')
      .argument('<path>', 'the backup file (.dbb.tar)')
      .requiredOption('--target <database>', 'database to restore into')
      .option('--create', 'create the target database (fails if it exists)')
      .option('--confirm', 'allow restoring into an existing, non-empty database')
      .option('--clean', 'drop every object in the target first (needs --confirm)')
      .addOption(
        new Option(
          '--restore-mode <mode>',
          'safe: fully logged; balanced: asynchronous commit; turbo: also UNLOGGED loads (always ends durable)',
        )
          .choices(RESTORE_MODES)
          .default('safe'),
      )
      .option('--tiered-restore', 'restore the --critical-tables (data and indexes) before all other tables')
      .option(
        '--critical-tables <patterns>',
        'comma-separated table globs for --tiered-restore: "user*,billing.payment*"',
      );
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
    return restore;
  },
};
