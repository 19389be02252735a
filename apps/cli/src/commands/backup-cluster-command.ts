import type { Command } from 'commander';
import { z } from 'zod';
import { commandAction } from '../cli/command-action.js';
import { addExamples } from '../cli/help-examples.js';
import { parseNameList } from '../cli/name-list.js';
import { UsageError } from '../errors/cli-errors.js';
import { addHookOptions, hookOptionsSchema, hooksFrom } from '../hooks/hook-options.js';
import { backupCluster } from './backup-cluster.js';
import { VERIFY_RESTORE_DESCRIPTION } from './verify-restore-option.js';

const backupClusterOptions = hookOptionsSchema.extend({
  databases: z.string().optional(),
  verifyRestore: z.boolean().optional(),
});

/** `dbbackup backup cluster`: globals and every database (or --databases) into one archive. */
export function registerBackupCluster(backup: Command): void {
  const cluster = backup
    .command('cluster')
    .description(
      'back up the server: roles, memberships, settings, tablespaces and every non-template database, into <backup-dir>/cluster-<host>-<UTC time>.dbb.tar (each database consistent in itself)',
    )
    .option('--databases <names>', 'only these databases, comma-separated: "shop,crm" (the roles are always included)')
    .option('--verify-restore', VERIFY_RESTORE_DESCRIPTION);
  addHookOptions(cluster, 'backup');
  addExamples(cluster, [
    {
      description: 'every database and the roles, 4 parallel workers per database',
      command: 'dbbackup backup cluster -d postgres --backup-dir /var/backups --jobs 4',
    },
    {
      description: 'two databases and the roles, encrypted',
      command:
        'dbbackup backup cluster -d postgres --databases shop,crm --encrypt --encryption-key-file ~/.dbbackup.key',
    },
    {
      description: 'what would be backed up, without writing',
      command: 'dbbackup backup cluster -d postgres --dry-run',
    },
    {
      description: 'restore it into a new, empty server',
      command: 'dbbackup restore cluster /var/backups/cluster-db1-20261123T221500Z.dbb.tar --host db2 --confirm',
    },
  ]);
  cluster.action(
    commandAction(async (context) => {
      const options = context.options(backupClusterOptions);
      const databases = options.databases === undefined ? undefined : parseNameList(options.databases);
      if (databases?.length === 0) {
        throw new UsageError('--databases names no database: give a comma-separated list such as --databases shop,crm');
      }
      await backupCluster(context, {
        databases,
        verifyRestore: options.verifyRestore === true,
        hooks: hooksFrom(options),
      });
    }),
  );
}
