import { addExamples } from '../cli/help-examples.js';
import type { CommandModule } from './command-module.js';
import { registerRestoreCluster } from './restore-cluster-command.js';
import { registerRestoreDiagnose } from './restore-diagnose-command.js';
import { registerRestorePreview } from './restore-preview-command.js';
import { registerRestoreSingle } from './restore-single-command.js';

/** `dbbackup restore single|cluster PATH`: archives into databases. */
export const restoreCommand: CommandModule = {
  register(parent) {
    const restore = parent.command('restore').description('restore dbbackup archives into databases');
    addExamples(restore, [
      {
        description: 'restore a backup into a new database',
        command: 'dbbackup restore single ./backups/shop-20261123T221500Z.dbb.tar --target shop_copy --create',
      },
      {
        description: 'restore a cluster backup (roles and databases) into an empty server',
        command: 'dbbackup restore cluster ./backups/cluster-db1-20261123T221500Z.dbb.tar --host db2 --confirm',
      },
    ]);
    registerRestoreSingle(restore);
    registerRestoreCluster(restore);
    registerRestorePreview(restore);
    registerRestoreDiagnose(restore);
    return restore;
  },
};
