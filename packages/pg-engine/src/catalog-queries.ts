import type { ConnectionOptions, DatabaseInfo, ServerVersion, SizeEstimate } from '@dbbackup/archive';
import { closeQuietly, connect, DEFAULT_MAINTENANCE_DATABASE } from './connection/connect.js';
import { readServerVersion, requireSupportedServer } from './connection/server-version.js';

/** Server version (fails with UnsupportedServerVersionError below 12). */
export async function serverVersion(connection: ConnectionOptions): Promise<ServerVersion> {
  const client = await connect(connection, connection.database ?? DEFAULT_MAINTENANCE_DATABASE);
  try {
    return await requireSupportedServer(client);
  } finally {
    await closeQuietly(client);
  }
}

/** Connectable, non-template databases with their on-disk size. */
export async function listDatabases(connection: ConnectionOptions): Promise<DatabaseInfo[]> {
  const client = await connect(connection, connection.database ?? DEFAULT_MAINTENANCE_DATABASE);
  try {
    await readServerVersion(client);
    const result = await client.query<{ name: string; size: string }>(
      `SELECT datname AS name, pg_database_size(oid)::text AS size FROM pg_database
        WHERE datallowconn AND NOT datistemplate ORDER BY datname`,
    );
    return result.rows.map((row) => ({ name: row.name, sizeBytes: Number(row.size) }));
  } finally {
    await closeQuietly(client);
  }
}

/** Planner statistics based estimate (no table scans): heap + TOAST bytes and rows of user tables. */
export async function estimateSize(connection: ConnectionOptions, database: string): Promise<SizeEstimate> {
  const client = await connect(connection, database);
  try {
    const result = await client.query<{ tables: string; rows: string; data: string; total: string }>(
      `SELECT count(*)::text AS tables,
              coalesce(sum(greatest(c.reltuples, 0)), 0)::bigint::text AS rows,
              coalesce(sum(pg_table_size(c.oid)), 0)::text AS data,
              pg_database_size(current_database())::text AS total
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'`,
    );
    const row = result.rows[0]!;
    return {
      database,
      tables: Number(row.tables),
      rows: Number(row.rows),
      dataBytes: Number(row.data),
      totalBytes: Number(row.total),
    };
  } finally {
    await closeQuietly(client);
  }
}
