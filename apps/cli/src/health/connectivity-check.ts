import type { ConnectionOptions } from '@dbbackup/archive';
import type { SelectedEngine } from '../engines/select-engine.js';
import type { CheckedEngine } from './checked-engines.js';
import { check, type HealthCheck } from './health-check.js';

/** Where a connection goes, as configured ("127.0.0.1:5432", "socket /run/postgresql", "the default server"). */
export function describeConnection(connection: ConnectionOptions): string {
  if (connection.socket !== undefined) return `socket ${connection.socket}`;
  if (connection.host === undefined && connection.port === undefined) return 'the default server';
  return `${connection.host ?? 'default host'}${connection.port === undefined ? '' : `:${connection.port}`}`;
}

/**
 * connectivity: the engine's serverVersion() answers → ok with the version; any error (refused, timeout, host not
 * found, authentication) → critical with the engine's message, which names host:port. Returns whether it answered,
 * so the checks that need the server run only then.
 */
export async function checkConnectivity(
  engine: CheckedEngine,
  connection: ConnectionOptions,
): Promise<{ check: HealthCheck; reachable: boolean }> {
  if (engine.selected === undefined) {
    return { check: check('connectivity', engine.name, 'critical', engine.problem), reachable: false };
  }
  try {
    const version = await engine.selected.engine.serverVersion(connection);
    const detail = `${engine.name} ${version.version} answered at ${describeConnection(connection)}`;
    return { check: check('connectivity', engine.name, 'ok', detail), reachable: true };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const where = describeConnection(connection);
    // Engine messages name host:port already; a message from elsewhere gets the target added.
    const detail = message.includes(where) ? message : `${engine.name} at ${where} is unreachable: ${message}`;
    return { check: check('connectivity', engine.name, 'critical', detail), reachable: false };
  }
}

/** database (with --database): it exists on the server → ok; missing → critical. */
export async function checkDatabaseExists(
  selected: SelectedEngine,
  connection: ConnectionOptions,
  database: string,
): Promise<HealthCheck> {
  const where = `the ${selected.name} server at ${describeConnection(connection)}`;
  try {
    const databases = await selected.engine.listDatabases(connection);
    if (databases.some((candidate) => candidate.name === database)) {
      return check('database', database, 'ok', `${database} exists on ${where}`);
    }
    return check(
      'database',
      database,
      'critical',
      `database ${database} does not exist on ${where}; check --database, --host and --port`,
    );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return check('database', database, 'critical', `cannot list the databases on ${where}: ${message}`);
  }
}
