import { MysqlEngineError } from '../errors.js';

/** The target instance already holds databases (with objects) or accounts of the archive, and no confirm was given. */
export class ClusterTargetNotEmptyError extends MysqlEngineError {
  constructor(
    readonly databases: string[],
    readonly accounts: string[],
  ) {
    const parts = [
      databases.length > 0 ? `databases with objects: ${databases.map((db) => `"${db}"`).join(', ')}` : '',
      accounts.length > 0 ? `existing accounts: ${accounts.join(', ')}` : '',
    ].filter((part) => part !== '');
    super(
      `the target instance already holds what the cluster archive would restore (${parts.join('; ')}); pass confirm to restore into it anyway, or use an empty instance`,
    );
  }
}

/** A database of the cluster restore failed; the ones before it stay restored. */
export class ClusterRestoreError extends MysqlEngineError {
  constructor(
    readonly database: string,
    readonly restored: string[],
    cause: unknown,
  ) {
    const before = restored.length > 0 ? ` (restored before it: ${restored.map((db) => `"${db}"`).join(', ')})` : '';
    super(
      `restoring database "${database}" of the cluster archive failed${before}: ${(cause as Error).message}; fix the cause and restore that database again with confirm`,
      { cause },
    );
  }
}

/** A users-and-grants statement failed; the statement itself is never quoted (it may carry a password hash). */
export class GlobalsRestoreError extends MysqlEngineError {}
