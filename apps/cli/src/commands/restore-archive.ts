import type { ArchiveReader } from '@dbbackup/archive';
import { openArchive } from '../archive-io/open-archive.js';
import type { CommandContext } from '../cli/command-context.js';
import { dbTypeFitsArchive, type SelectedEngine, selectEngineForArchive } from '../engines/select-engine.js';
import { UsageError } from '../errors/cli-errors.js';

/**
 * Opens a backup for a restore: header, key and manifest first (a missing or wrong key, or an incomplete file,
 * fails before any connection), then the engine the header names. --db-type is optional for a restore; given on
 * the command line it must agree with the archive. The caller closes the reader.
 */
export async function openArchiveForRestore(
  context: CommandContext,
  path: string,
): Promise<{ reader: ArchiveReader; selected: SelectedEngine }> {
  const { config, logger } = context;
  const reader = await openArchive(path, { keyFile: config.encryptionKeyFile, env: context.env, logger, context });
  try {
    const selected = await selectEngineForArchive(reader.header.engine);
    checkDbType(context, reader.header.engine);
    return { reader, selected };
  } catch (error) {
    await reader.close();
    throw error;
  }
}

function checkDbType(context: CommandContext, archiveEngine: string): void {
  const { dbType } = context.config;
  if (dbType === undefined || context.sources.dbType.kind !== 'flag') return;
  // MySQL and MariaDB archives are interchangeable, so only the family has to agree.
  if (!dbTypeFitsArchive(dbType, archiveEngine)) {
    throw new UsageError(
      `--db-type ${dbType} does not match this backup, which was made by the ${archiveEngine} engine; drop --db-type (the backup names its engine)`,
    );
  }
}
