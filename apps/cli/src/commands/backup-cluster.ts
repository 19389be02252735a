import { archiveDatabases } from '../archive-io/archive-databases.js';
import { backupFilePath } from '../archive-io/backup-file-name.js';
import type { CommandContext } from '../cli/command-context.js';
import type { ResolvedConfig } from '../config/settings.js';
import { engineOperation } from '../engines/engine-operation.js';
import type { Hooks } from '../hooks/run-hook.js';
import { runArchiveBackup } from './archive-backup.js';
import { clusterSizeCheck } from './backup-target.js';

/**
 * `cluster-<host>`: the server the cluster came from. A socket directory given as the host, or no host at all
 * (the driver's default, a local socket), is this machine: `localhost`.
 */
export function clusterFileStem(config: ResolvedConfig): string {
  const host = config.host === undefined || config.host.startsWith('/') ? 'localhost' : config.host;
  return `cluster-${host}`;
}

/**
 * `backup cluster`: the globals (roles, memberships, role and database settings, tablespaces) and every
 * connectable non-template database, or those of --databases, into `<dir>/cluster-<host>-<stamp>.dbb.tar`.
 * Each database is consistent in itself; the engine records that they are not consistent with one another.
 */
export async function backupCluster(
  context: CommandContext,
  options: { databases: string[] | undefined; verifyRestore: boolean; hooks: Hooks },
): Promise<void> {
  const { databases } = options;
  await runArchiveBackup(context, {
    kind: 'cluster',
    hooks: options.hooks,
    database: null,
    filePath: (directory, startedAt) => backupFilePath(directory, clusterFileStem(context.config), startedAt),
    sizeCheck: clusterSizeCheck(databases),
    operation: (selected) => {
      const backupClusterOf = engineOperation(selected, 'backupCluster');
      return (write) => backupClusterOf({ ...write, ...(databases ? { databases } : {}) });
    },
    verifyRestore: options.verifyRestore,
    extras: (result) => ({ databases: archiveDatabases(result.manifest) }),
  });
}
