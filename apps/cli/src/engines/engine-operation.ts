import type { DatabaseEngine } from '@dbbackup/archive';
import { CliError } from '../errors/cli-errors.js';
import type { SelectedEngine } from './select-engine.js';

/** The DatabaseEngine methods an engine may lack (the contract marks them optional). */
export type OptionalOperation = 'backupSample' | 'backupCluster' | 'restoreCluster' | 'writeSqlScript';

const DESCRIPTIONS: Record<OptionalOperation, { what: string; instead: string }> = {
  backupSample: { what: 'sampled backups', instead: 'take a full backup with dbbackup backup single' },
  backupCluster: { what: 'cluster backups', instead: 'back up each database with dbbackup backup single' },
  restoreCluster: { what: 'cluster restores', instead: 'restore one database with restore single --source-database' },
  writeSqlScript: { what: 'SQL script backups', instead: 'use --dump-format archive (the default)' },
};

/** The engine has no implementation of an optional operation. Exit 2. */
export class OperationNotAvailableError extends CliError {
  constructor(engine: string, operation: OptionalOperation) {
    const { what, instead } = DESCRIPTIONS[operation];
    super(`${what} are not available for ${engine} in this dbbackup; ${instead}`, 2);
  }
}

/**
 * An optional engine operation, bound to its engine, or OperationNotAvailableError. Commands resolve it before
 * --dry-run, so a dry run fails the same way the real run would.
 */
export function engineOperation<K extends OptionalOperation>(
  selected: SelectedEngine,
  operation: K,
): NonNullable<DatabaseEngine[K]> {
  const method = selected.engine[operation];
  if (method === undefined) throw new OperationNotAvailableError(selected.name, operation);
  return (method as (...args: never[]) => unknown).bind(selected.engine) as NonNullable<DatabaseEngine[K]>;
}
