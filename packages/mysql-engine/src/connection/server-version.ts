import type { ServerVersion } from '@dbbackup/archive';
import type { RowDataPacket } from 'mysql2/promise';
import { UnsupportedServerVersionError } from '../errors.js';
import { type MysqlServerInfo, parseServerVersion } from '../schema/index.js';
import type { MysqlSession } from './connect.js';

/** Oldest servers the engine supports: what CONSISTENT SNAPSHOT, invisible columns and the catalogs need. */
export const MINIMUM_MARIADB_VERSION_NUM = 100300;
export const MINIMUM_MYSQL_VERSION_NUM = 50700;

export interface MysqlServerVersion extends ServerVersion {
  info: MysqlServerInfo;
}

export async function readServerVersion(session: MysqlSession): Promise<MysqlServerVersion> {
  const [rows] = await session.client.query<RowDataPacket[]>(
    'SELECT VERSION() AS version, @@version_comment AS comment',
  );
  const banner = String(rows[0]?.version ?? '');
  const comment = rows[0]?.comment ? ` (${String(rows[0].comment)})` : '';
  const info = parseServerVersion(banner);
  const version = /^\d+\.\d+\.\d+/.exec(banner)?.[0] ?? banner;
  return { version, versionNum: info.versionNum, banner: `${banner}${comment}`, info };
}

/** Throws UnsupportedServerVersionError below MariaDB 10.3 / MySQL 5.7. */
export async function requireSupportedServer(session: MysqlSession): Promise<MysqlServerVersion> {
  const version = await readServerVersion(session);
  assertSupportedVersion(version.info);
  return version;
}

export function assertSupportedVersion(info: MysqlServerInfo): void {
  const mariadb = info.flavor === 'mariadb';
  const minimum = mariadb ? MINIMUM_MARIADB_VERSION_NUM : MINIMUM_MYSQL_VERSION_NUM;
  if (info.versionNum >= minimum) return;
  const name = mariadb ? 'MariaDB' : 'MySQL';
  const short = (num: number) => `${Math.floor(num / 10000)}.${Math.floor(num / 100) % 100}`;
  throw new UnsupportedServerVersionError(`${name} ${short(info.versionNum)}`, `${name} ${short(minimum)}`);
}
