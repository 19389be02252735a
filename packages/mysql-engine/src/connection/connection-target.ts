import os from 'node:os';
import type { ConnectionOptions } from '@dbbackup/archive';

/** Where a connection goes, resolved the way the mysql/mariadb clients resolve it, without the password. */
export interface ResolvedTarget {
  host: string;
  port: number;
  /** Unix socket file; when set it is used instead of host:port. */
  socketPath: string | undefined;
  user: string;
  /** "127.0.0.1:3306" or "/run/mysqld/mysqld.sock (socket)" for messages. */
  description: string;
}

export const DEFAULT_PORT = 3306;

export function resolveTarget(connection: ConnectionOptions): ResolvedTarget {
  const host = connection.host ?? process.env.MYSQL_HOST ?? '127.0.0.1';
  const port = connection.port ?? (process.env.MYSQL_TCP_PORT ? Number(process.env.MYSQL_TCP_PORT) : DEFAULT_PORT);
  const socketPath = connection.socket ?? process.env.MYSQL_UNIX_PORT;
  // The mysql client's default user is the operating-system login name.
  const user = connection.user ?? process.env.MYSQL_USER ?? os.userInfo().username;
  const description = socketPath ? `${socketPath} (socket)` : `${host}:${port}`;
  return { host, port, socketPath: socketPath || undefined, user, description };
}
