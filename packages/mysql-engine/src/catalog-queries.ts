import type { ConnectionOptions, DatabaseInfo, ServerVersion, SizeEstimate } from '@dbbackup/archive';
import type { RowDataPacket } from 'mysql2/promise';
import { closeQuietly, connect } from './connection/connect.js';
import { requireSupportedServer } from './connection/server-version.js';
import type { MysqlFlavor } from './schema/index.js';

/** Schemas of the server itself, never listed as databases to back up. */
const SYSTEM_SCHEMAS = ['information_schema', 'performance_schema', 'sys', 'mysql'];

/** Server version (fails with UnsupportedServerVersionError below MariaDB 10.3 / MySQL 5.7). */
export async function serverVersion(connection: ConnectionOptions, flavor?: MysqlFlavor): Promise<ServerVersion> {
  const session = await connect(connection, connection.database, { flavor });
  try {
    const { version, versionNum, banner } = await requireSupportedServer(session);
    return { version, versionNum, banner };
  } finally {
    await closeQuietly(session);
  }
}

/** User databases with their on-disk size (data + indexes, from information_schema estimates). */
export async function listDatabases(connection: ConnectionOptions, flavor?: MysqlFlavor): Promise<DatabaseInfo[]> {
  const session = await connect(connection, connection.database, { flavor });
  try {
    await requireSupportedServer(session);
    const [rows] = await session.client.query<RowDataPacket[]>(
      `SELECT s.SCHEMA_NAME AS name,
              (SELECT COALESCE(SUM(t.DATA_LENGTH + t.INDEX_LENGTH), 0) FROM information_schema.TABLES t
                WHERE t.TABLE_SCHEMA = s.SCHEMA_NAME) AS size
         FROM information_schema.SCHEMATA s
        WHERE s.SCHEMA_NAME NOT IN (?)
        ORDER BY s.SCHEMA_NAME`,
      [SYSTEM_SCHEMAS],
    );
    return rows.map((row) => ({ name: String(row.name), sizeBytes: Number(row.size) }));
  } finally {
    await closeQuietly(session);
  }
}

/** information_schema based estimate (no table scans; InnoDB row counts and sizes are estimates). */
export async function estimateSize(
  connection: ConnectionOptions,
  database: string,
  flavor?: MysqlFlavor,
): Promise<SizeEstimate> {
  const session = await connect(connection, database, { flavor });
  try {
    await requireSupportedServer(session);
    const [rows] = await session.client.query<RowDataPacket[]>(
      `SELECT COUNT(*) AS tables, COALESCE(SUM(TABLE_ROWS), 0) AS \`rows\`,
              COALESCE(SUM(DATA_LENGTH), 0) AS data, COALESCE(SUM(DATA_LENGTH + INDEX_LENGTH), 0) AS total
         FROM information_schema.TABLES
        WHERE TABLE_SCHEMA = ? AND TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED')`,
      [database],
    );
    const row = rows[0]!;
    return {
      database,
      tables: Number(row.tables),
      rows: Number(row.rows),
      dataBytes: Number(row.data),
      totalBytes: Number(row.total),
    };
  } finally {
    await closeQuietly(session);
  }
}
