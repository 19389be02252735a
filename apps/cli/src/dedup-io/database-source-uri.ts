import type { ConnectionOptions } from '@dbbackup/archive';
import { engineFamilyOfArchive } from '../engines/select-engine.js';

/** The drivers' own defaults when no host/port is configured (see the CLI README, "Backup, restore, verify"). */
const DEFAULTS = {
  postgres: { host: 'localhost', port: 5432 },
  mysql: { host: '127.0.0.1', port: 3306 },
} as const;

/**
 * What a database snapshot records as its source: `postgresql://db1:5432/shop`, `mariadb://127.0.0.1:3306/shop`,
 * with a Unix socket `postgresql://%2Fvar%2Frun%2Fpostgresql/shop` (libpq's way of writing a socket directory as the
 * host). Never a user or password: it is shown by `dedup list` and kept in the store.
 */
export function databaseSourceUri(engineName: string, connection: ConnectionOptions, database: string): string {
  const defaults = DEFAULTS[engineFamilyOfArchive(engineName) ?? 'postgres'];
  // A socket (or a PostgreSQL host that is a socket directory, as libpq allows) has no port worth showing.
  const socket = connection.socket ?? (connection.host?.startsWith('/') ? connection.host : undefined);
  const server =
    socket !== undefined
      ? encodeURIComponent(socket)
      : `${hostPart(connection.host ?? defaults.host)}:${connection.port ?? defaults.port}`;
  return `${engineName}://${server}/${encodeURIComponent(database)}`;
}

/** IPv6 addresses go in brackets, as in any URI. */
function hostPart(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
