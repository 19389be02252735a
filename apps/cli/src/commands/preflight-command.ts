import { z } from 'zod';
import { resolveBackupDirectory } from '../archive-io/backup-directory.js';
import { backupFilePath } from '../archive-io/backup-file-name.js';
import { commandAction } from '../cli/command-action.js';
import { addExamples } from '../cli/help-examples.js';
import { parseNameList } from '../cli/name-list.js';
import { selectEngineForDbType } from '../engines/select-engine.js';
import { UsageError } from '../errors/cli-errors.js';
import { clusterFileStem } from './backup-cluster.js';
import { backupDryRun } from './backup-dry-run.js';
import type { BackupTarget } from './backup-target.js';
import { clusterSizeCheck, databaseSizeCheck } from './backup-target.js';
import type { CommandModule } from './command-module.js';

const preflightOptions = z.object({ databases: z.string().optional() });

/**
 * `dbbackup preflight [DB]`: the checks of `backup single DB --dry-run` (or of `backup cluster --dry-run` without a
 * database), for a scheduler to run before the backup window: server reachable, privileges, database present, size
 * estimate, backup directory writable with room for it, encryption key. Writes nothing; exit 2 on the first failure.
 */
export const preflightCommand: CommandModule = {
  register(parent) {
    const command = parent
      .command('preflight')
      .description(
        'check that a backup would succeed, writing nothing: connection, privileges, database, size estimate, backup directory and free space, encryption key',
      )
      .argument('[database]', 'the database a `backup single` would back up; omit it for a cluster backup')
      .option('--databases <names>', 'without a database: only these databases of the cluster, comma-separated');
    addExamples(command, [
      {
        description: 'before backing up shop into /var/backups',
        command: 'dbbackup preflight shop -d postgres --backup-dir /var/backups',
      },
      {
        description: 'a whole MariaDB server, with the encryption key the backup will use',
        command: 'dbbackup preflight -d mariadb --encrypt --encryption-key-file ~/.dbbackup.key',
      },
      { description: 'as JSON, for a scheduler', command: 'dbbackup preflight shop -d postgres --format json' },
    ]);
    return command.action(
      commandAction(async (context, database: string | undefined) => {
        const options = context.options(preflightOptions);
        if (database !== undefined && options.databases !== undefined) {
          throw new UsageError(
            '--databases selects databases of a cluster backup; drop it, or drop the database argument to check a cluster backup',
          );
        }
        const databases = options.databases === undefined ? undefined : parseNameList(options.databases);
        const target: BackupTarget =
          database === undefined
            ? {
                database: null,
                filePath: (directory, at) => backupFilePath(directory, clusterFileStem(context.config), at),
                sizeCheck: clusterSizeCheck(databases),
              }
            : {
                database,
                filePath: (directory, at) => backupFilePath(directory, database, at),
                sizeCheck: databaseSizeCheck(database),
              };
        const selected = await selectEngineForDbType(context.config.dbType);
        const directory = resolveBackupDirectory(context.config.backupDir, context.cwd);
        await backupDryRun(context, selected, target, directory, 'preflight');
      }),
    );
  },
};
