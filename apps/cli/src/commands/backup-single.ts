import { backupFilePath } from '../archive-io/backup-file-name.js';
import type { CommandContext } from '../cli/command-context.js';
import type { Hooks } from '../hooks/run-hook.js';
import { runArchiveBackup } from './archive-backup.js';
import { backupSqlScript } from './backup-sql-script.js';
import { databaseSizeCheck } from './backup-target.js';

export const DUMP_FORMATS = ['archive', 'sql'] as const;
export type DumpFormat = (typeof DUMP_FORMATS)[number];

/**
 * `backup single DB`: one database into `<dir>/<database>-<stamp>.dbb.tar` (consistent to one snapshot), or with
 * --dump-format sql into a psql script `<database>-<stamp>.sql.zst`.
 */
export async function backupSingle(
  context: CommandContext,
  database: string,
  options: { verifyRestore: boolean; dumpFormat: DumpFormat; hooks: Hooks },
): Promise<void> {
  if (options.dumpFormat === 'sql') {
    await backupSqlScript(context, database, { verifyRestore: options.verifyRestore, hooks: options.hooks });
    return;
  }
  await runArchiveBackup(context, {
    kind: 'single',
    hooks: options.hooks,
    database,
    filePath: (directory, startedAt) => backupFilePath(directory, database, startedAt),
    sizeCheck: databaseSizeCheck(database),
    operation: (selected) => (write) => selected.engine.backup({ ...write, database }),
    verifyRestore: options.verifyRestore,
    extras: () => ({}),
  });
}
