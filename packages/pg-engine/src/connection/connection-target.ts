import { userInfo } from 'node:os';
import path from 'node:path';
import type { ConnectionOptions } from '@dbbackup/archive';

/** Where a connection goes, resolved the way libpq/pg resolve it, without the password. */
export interface ResolvedTarget {
  /** TCP host, or the socket directory (starts with '/'). */
  host: string;
  port: number;
  user: string | undefined;
  /** "127.0.0.1:5432" or "/var/run/postgresql (socket, port 5432)" for messages. */
  description: string;
}

const SOCKET_FILE_PREFIX = '.s.PGSQL.';

export function resolveTarget(connection: ConnectionOptions): ResolvedTarget {
  let host = connection.host ?? process.env.PGHOST ?? 'localhost';
  let port = connection.port ?? (process.env.PGPORT ? Number(process.env.PGPORT) : 5432);
  if (connection.socket) {
    // Accept the socket directory or the socket file itself (/run/postgresql/.s.PGSQL.5433).
    const base = path.basename(connection.socket);
    if (base.startsWith(SOCKET_FILE_PREFIX)) {
      host = path.dirname(connection.socket);
      port = Number(base.slice(SOCKET_FILE_PREFIX.length)) || port;
    } else {
      host = connection.socket;
    }
  }
  const description = host.startsWith('/') ? `${host} (socket, port ${port})` : `${host}:${port}`;
  // Like libpq: without a user option or PGUSER, connect as the operating-system user (not whatever USER says,
  // which cron and CI often leave unset).
  return { host, port, user: connection.user ?? process.env.PGUSER ?? userInfo().username, description };
}
