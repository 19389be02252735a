import type { ServerVersion } from '@dbbackup/archive';
import type pg from 'pg';
import { UnsupportedServerVersionError } from '../errors.js';

export const MINIMUM_SERVER_VERSION_NUM = 120000;

export async function readServerVersion(client: pg.Client): Promise<ServerVersion> {
  const result = await client.query<{ num: string; version: string; banner: string }>(
    "SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS version, version() AS banner",
  );
  const row = result.rows[0]!;
  return { versionNum: Number(row.num), version: row.version.split(' ')[0] ?? row.version, banner: row.banner };
}

/** Throws UnsupportedServerVersionError below PostgreSQL 12. */
export async function requireSupportedServer(client: pg.Client): Promise<ServerVersion> {
  const version = await readServerVersion(client);
  assertSupportedVersion(version.versionNum);
  return version;
}

export function assertSupportedVersion(versionNum: number): void {
  if (versionNum < MINIMUM_SERVER_VERSION_NUM) throw new UnsupportedServerVersionError(versionNum);
}
