import { addExamples } from '../cli/help-examples.js';
import { registerBackupCluster } from './backup-cluster-command.js';
import { registerBackupSample } from './backup-sample-command.js';
import { registerBackupSingle } from './backup-single-command.js';
import type { CommandModule } from './command-module.js';

/** `dbbackup backup single|sample|cluster`: databases into archive files (or a SQL script). */
export const backupCommand: CommandModule = {
  register(parent) {
    const backup = parent.command('backup').description('back up databases into dbbackup archives (.dbb.tar)');
    addExamples(backup, [
      { description: 'back up one database', command: 'dbbackup backup single shop --db-type postgres' },
      {
        description: 'a 10% sample of shop that restores with its foreign keys intact',
        command: 'dbbackup backup sample shop -d postgres --sample-strategy percent --sample-value 10',
      },
      { description: 'the whole server: roles and every database', command: 'dbbackup backup cluster -d postgres' },
    ]);
    registerBackupSingle(backup);
    registerBackupSample(backup);
    registerBackupCluster(backup);
    return backup;
  },
};
