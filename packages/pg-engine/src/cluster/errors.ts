import { describeCause, PgEngineError } from '../errors.js';

/** A database named for a cluster backup exists but refuses connections, so it cannot be read. */
export class DatabaseNotConnectableError extends PgEngineError {
  constructor(readonly database: string) {
    super(
      `database "${database}" does not allow connections; leave it out of the cluster backup or run ALTER DATABASE ... ALLOW_CONNECTIONS true first`,
    );
  }
}

/** A cluster restore would change an instance that is not (almost) empty, and confirm was not given. */
export class ClusterTargetNotEmptyError extends PgEngineError {
  constructor(
    readonly databases: string[],
    readonly roles: string[],
  ) {
    const parts: string[] = [];
    if (databases.length > 0) parts.push(`databases that hold objects: ${list(databases)}`);
    if (roles.length > 0) parts.push(`roles that would be altered: ${list(roles)}`);
    super(
      `the target instance is not empty (${parts.join('; ')}); pass --confirm to restore the cluster into it anyway`,
    );
  }
}

/** A cluster restore stopped at one database; the ones before it are restored, the failed one was rolled back. */
export class ClusterRestoreError extends PgEngineError {
  constructor(
    readonly database: string,
    readonly restored: string[],
    cause: unknown,
  ) {
    super(
      `cluster restore failed at database "${database}": ${describeCause(cause)}; restored before it: ${restored.length > 0 ? list(restored) : 'none'} (restore the remaining databases by naming them)`,
      { cause },
    );
  }
}

function list(names: string[]): string {
  const shown = names.slice(0, 5).map((name) => `"${name}"`);
  return names.length > 5 ? `${shown.join(', ')} and ${names.length - 5} more` : shown.join(', ');
}
