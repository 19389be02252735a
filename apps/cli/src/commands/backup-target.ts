import type { ConnectionOptions } from '@dbbackup/archive';
import { formatBytes, formatCount } from '@dbbackup/pipeline';
import { quotedList } from '../archive-io/archive-databases.js';
import { resolveBackupDirectory } from '../archive-io/backup-directory.js';
import type { CommandContext } from '../cli/command-context.js';
import { type SelectedEngine, selectEngineForDbType } from '../engines/select-engine.js';
import { counted } from '../output/counted.js';
import { backupDryRun } from './backup-dry-run.js';

/** The dry run's size check: its name in the checklist and how it estimates what the backup will hold. */
export interface SizeCheck {
  name: string;
  /** Plain bytes of table data (an upper bound for the file) and the check's detail line. */
  estimate(selected: SelectedEngine, connection: ConnectionOptions): Promise<{ dataBytes: number; detail: string }>;
}

/** What one kind of backup (single, sample, cluster, SQL script) writes; the rest of the flow is shared. */
export interface BackupTarget {
  /** The database backed up; null for a cluster. */
  database: string | null;
  /** `<dir>/<stem>-<UTC><extension>`. */
  filePath(directory: string, startedAt: Date): string;
  sizeCheck: SizeCheck;
}

export interface StartedBackup<Operation> {
  selected: SelectedEngine;
  /** The backup directory, resolved (not created yet). */
  directory: string;
  /** The engine operation this kind of backup runs. */
  operation: Operation;
}

/**
 * The start every backup shares: the engine from --db-type and its operation for this kind of backup (an engine
 * without it fails here, before --dry-run), and the backup directory. With --dry-run it runs the checks, prints
 * them and resolves undefined: the caller stops.
 */
export async function startBackup<Operation>(
  context: CommandContext,
  target: BackupTarget,
  resolveOperation: (selected: SelectedEngine) => Operation,
): Promise<StartedBackup<Operation> | undefined> {
  const selected = await selectEngineForDbType(context.config.dbType);
  const operation = resolveOperation(selected);
  const directory = resolveBackupDirectory(context.config.backupDir, context.cwd);
  if (context.config.dryRun) {
    await backupDryRun(context, selected, target, directory);
    return undefined;
  }
  return { selected, directory, operation };
}

/** One database: the planner's estimate of its tables, rows and table data. */
export function databaseSizeCheck(database: string): SizeCheck {
  return {
    name: 'database',
    async estimate(selected, connection) {
      const size = await selected.engine.estimateSize(connection, database);
      return {
        dataBytes: size.dataBytes,
        detail: `${database}: ${counted(size.tables, 'table')}${size.rows > 0 ? `, about ${formatCount(size.rows)} rows` : ''}, ${formatBytes(size.dataBytes)} of table data`,
      };
    },
  };
}

/** A cluster: the named databases (each must exist) or every database the server lists, estimated one by one. */
export function clusterSizeCheck(databases: readonly string[] | undefined): SizeCheck {
  return {
    name: 'databases',
    async estimate(selected, connection) {
      const listed = (await selected.engine.listDatabases(connection)).map((database) => database.name);
      const names = databases ?? listed;
      const missing = names.filter((name) => !listed.includes(name));
      if (missing.length > 0) {
        throw new Error(
          `${quotedList(missing)} ${missing.length === 1 ? 'does' : 'do'} not exist or refuse connections; the server has ${quotedList(listed)}: fix --databases`,
        );
      }
      let dataBytes = 0;
      let tables = 0;
      for (const name of names) {
        const size = await selected.engine.estimateSize(connection, name);
        dataBytes += size.dataBytes;
        tables += size.tables;
      }
      return {
        dataBytes,
        detail: `${names.length} databases (${quotedList(names, 5)}): ${tables} tables, ${formatBytes(dataBytes)} of table data, plus roles and tablespaces`,
      };
    },
  };
}
