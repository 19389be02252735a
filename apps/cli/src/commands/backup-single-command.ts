import { type Command, Option } from 'commander';
import { z } from 'zod';
import { commandAction } from '../cli/command-action.js';
import { addExamples } from '../cli/help-examples.js';
import { addHookOptions, hookOptionsSchema, hooksFrom } from '../hooks/hook-options.js';
import { backupSingle, DUMP_FORMATS } from './backup-single.js';
import { VERIFY_RESTORE_DESCRIPTION } from './verify-restore-option.js';

const backupSingleOptions = hookOptionsSchema.extend({
  verifyRestore: z.boolean().optional(),
  dumpFormat: z.enum(DUMP_FORMATS).optional(),
});

/** `dbbackup backup single DB`: one database into one archive file, or a SQL script with --dump-format sql. */
export function registerBackupSingle(backup: Command): void {
  const single = backup
    .command('single')
    .description(
      'back up one database into <backup-dir>/<database>-<UTC time>.dbb.tar (consistent to one snapshot, written as .partial until complete)',
    )
    .argument('<database>', 'database to back up')
    .option('--verify-restore', VERIFY_RESTORE_DESCRIPTION)
    .addOption(
      new Option(
        '--dump-format <format>',
        'archive: a dbbackup archive; sql: a psql script <database>-<UTC time>.sql.zst/.sql.gz/.sql (not encryptable)',
      )
        .choices(DUMP_FORMATS)
        .default('archive'),
    );
  addHookOptions(single, 'backup');
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
      description: 'a plain SQL script for psql (restore: zstd -dc shop-….sql.zst | psql -X -v ON_ERROR_STOP=1 -d new)',
      command: 'dbbackup backup single shop -d postgres --dump-format sql',
    },
    {
      description: 'the same as gzip (restore: gunzip -c shop-….sql.gz | psql -X -d new)',
      command: 'dbbackup backup single shop -d postgres --dump-format sql --compression-algorithm gzip',
    },
    {
      description: 'check connection, size, directory, free space and key without writing anything',
      command: 'dbbackup backup single shop -d postgres --backup-dir /var/backups --dry-run',
    },
    {
      description: 'VACUUM ANALYZE first, and report the outcome afterwards',
      command:
        'dbbackup backup single shop -d postgres --pre-hook "psql -d shop -c \'VACUUM ANALYZE\'" --post-hook \'notify-send "backup $DBBACKUP_DATABASE: $DBBACKUP_STATUS"\'',
    },
    { description: 'the result as JSON', command: 'dbbackup backup single shop -d postgres --format json' },
  ]);
  single.action(
    commandAction(async (context, database: string) => {
      const options = context.options(backupSingleOptions);
      await backupSingle(context, database, {
        verifyRestore: options.verifyRestore === true,
        dumpFormat: options.dumpFormat ?? 'archive',
        hooks: hooksFrom(options),
      });
    }),
  );
}
