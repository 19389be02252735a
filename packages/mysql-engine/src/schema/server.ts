import type { Connection, RowDataPacket } from 'mysql2/promise';
import type { MysqlServerInfo } from './types.js';

/** Reads the server's flavor and version; `VERSION()` contains "MariaDB" on every MariaDB release. */
export async function readServerInfo(connection: Connection): Promise<MysqlServerInfo> {
  const [rows] = await connection.query<RowDataPacket[]>('SELECT VERSION() AS version');
  const version = String(rows[0]?.version ?? '');
  return parseServerVersion(version);
}

export function parseServerVersion(version: string): MysqlServerInfo {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  const versionNum = match ? Number(match[1]) * 10000 + Number(match[2]) * 100 + Number(match[3]) : 0;
  return { flavor: /mariadb/i.test(version) ? 'mariadb' : 'mysql', version, versionNum };
}
