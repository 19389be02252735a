import type { Command } from 'commander';
import { z } from 'zod';
import { commandAction } from '../cli/command-action.js';
import { addExamples } from '../cli/help-examples.js';
import { addHookOptions, hookOptionsSchema } from '../hooks/hook-options.js';
import { restoreCluster } from './restore-cluster.js';
import { RESTORE_MODES, restoreModeOption } from './restore-mode-option.js';

const restoreClusterOptions = hookOptionsSchema.extend({
  confirm: z.boolean().optional(),
  databases: z.string().optional(),
  restoreMode: z.enum(RESTORE_MODES).optional(),
});
export type RestoreClusterOptions = z.infer<typeof restoreClusterOptions>;

/** `dbbackup restore cluster PATH --confirm`: a cluster backup (roles and databases) into an empty server. */
export function registerRestoreCluster(restore: Command): void {
  const cluster = restore
    .command('cluster')
    .description(
      'restore a cluster backup into an empty server: roles, memberships, settings, tablespaces, then every database (created with its owner, privileges and settings)',
    )
    .argument('<path>', 'the cluster backup file (cluster-….dbb.tar)')
    .option('--confirm', 'required: the restore creates roles and databases on the target server')
    .option(
      '--databases <names>',
      'only these databases of the backup, comma-separated (the roles are always restored)',
    )
    .addOption(restoreModeOption());
  addHookOptions(cluster, 'restore');
  addExamples(cluster, [
    {
      description: 'everything into a new server, 4 workers per database',
      command: 'dbbackup restore cluster ./backups/cluster-db1-20261123T221500Z.dbb.tar --host db2 --confirm --jobs 4',
    },
    {
      description: 'the roles and two of the databases',
      command:
        'dbbackup restore cluster cluster-db1-20261123T221500Z.dbb.tar --host db2 --confirm --databases shop,crm',
    },
    {
      description: 'an encrypted backup, checked first without changing anything',
      command:
        'dbbackup restore cluster cluster-db1-20261123T221500Z.dbb.tar --host db2 --confirm --encryption-key-file ~/.dbbackup.key --dry-run',
    },
    {
      description: 'one database of it into an existing server, under a new name',
      command:
        'dbbackup restore single cluster-db1-20261123T221500Z.dbb.tar --source-database shop --target shop_copy --create',
    },
  ]);
  cluster.action(
    commandAction(async (context, path: string) => {
      await restoreCluster(context, path, context.options(restoreClusterOptions));
    }),
  );
}
