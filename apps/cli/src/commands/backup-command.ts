import { z } from 'zod';
import { commandAction } from '../cli/command-action.js';
import { addExamples } from '../cli/help-examples.js';
import { backupSingle } from './backup-single.js';
import type { CommandModule } from './command-module.js';

const backupSingleOptions = z.object({ verifyRestore: z.boolean().optional() });

/** `dbbackup backup single DB`: one database into one archive file. */
export const backupCommand: CommandModule = {
  register(parent) {
    const backup = parent.command('backup').description('back up databases into dbbackup archives (.dbb.tar)');
    addExamples(backup, [
      { description: 'back up one database', command: 'dbbackup backup single shop --db-type postgres' },
    ]);

    const single = backup
      .command('single')
      .description(
        'back up one database into <backup-dir>/<database>-<UTC time>.dbb.tar (consistent to one snapshot, written as .partial until complete)',
      )
      .argument('<database>', 'database to back up')
      .option(
        '--verify-restore',
        'afterwards restore into a temporary database and compare every table’s rows and checksum',
      );
    addExamples(single, [
      {
        description: 'back up shop into ./backups with 4 parallel workers',
        command: 'dbbackup backup single shop --db-type postgres --backup-dir ./backups --jobs 4',
      },
      {
        description: 'encrypted with a key file (32 random bytes: head -c 32 /dev/urandom > ~/.dbbackup.key)',
        command: 'dbbackup backup single shop -d postgres --encrypt --encryption-key-file ~/.dbbackup.key',
      },
      {
        description: 'encrypted with a passphrase from the environment (or typed at the prompt)',
        command: 'DBBACKUP_ENCRYPTION_PASSPHRASE=… dbbackup backup single shop -d postgres --encrypt',
      },
      {
        description: 'prove the new backup restores exactly (temporary database, dropped afterwards)',
        command: 'dbbackup backup single shop -d postgres --verify-restore',
      },
      {
        description: 'check connection, size, directory, free space and key without writing anything',
        command: 'dbbackup backup single shop -d postgres --backup-dir /var/backups --dry-run',
      },
      { description: 'the result as JSON', command: 'dbbackup backup single shop -d postgres --format json' },
    ]);
    single.action(
      commandAction(async (context, database: string) => {
        const options = context.options(backupSingleOptions);
        await backupSingle(context, database, { verifyRestore: options.verifyRestore === true });
      }),
    );
    return backup;
  },
};
