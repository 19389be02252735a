import type { ConnectionOptions, DatabaseInfo, ServerVersion, SizeEstimate } from '@dbbackup/archive';
import { closeQuietly, connect, DEFAULT_MAINTENANCE_DATABASE } from './connection/connect.js';
import { readServerVersion, requireSupportedServer } from './connection/server-version.js';
import { estimateRows } from './size-estimate.js';

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

/** Tables whose sizes are read per query: pg_table_size locks each table and its TOAST table until the query ends. */
const SIZE_BATCH = 500;

/**
 * Size of the user tables without scanning them: heap + TOAST bytes (pg_table_size, read in batches so a schema of
 * thousands of tables does not fill the lock table) and rows from the planner statistics, scaled to each table's
 * current size; for tables never analysed, the planner's own guess from the column widths.
 */
export async function estimateSize(connection: ConnectionOptions, database: string): Promise<SizeEstimate> {
  const client = await connect(connection, database);
  try {
    const { rows: tables } = await client.query<{
      oid: string;
      relpages: number;
      reltuples: number;
      width: number;
      block: number;
    }>(
      `SELECT c.oid::text AS oid, c.relpages, c.reltuples::float8 AS reltuples,
              current_setting('block_size')::int AS block,
              coalesce((SELECT sum(CASE WHEN a.attlen > 0 THEN a.attlen ELSE 32 END)::int FROM pg_attribute a
                         WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), 0) AS width
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'`,
    );
    let rows = 0;
    let dataBytes = 0;
    for (let start = 0; start < tables.length; start += SIZE_BATCH) {
      const batch = tables.slice(start, start + SIZE_BATCH);
      // A table dropped since it was listed has no size (NULL).
      const { rows: sizes } = await client.query<{ oid: string; heap: string | null; total: string | null }>(
        `SELECT t.oid::text AS oid, pg_relation_size(t.oid)::text AS heap, pg_table_size(t.oid)::text AS total
           FROM unnest($1::oid[]) AS t(oid)`,
        [batch.map((table) => table.oid)],
      );
      const byOid = new Map(sizes.map((size) => [size.oid, size]));
      for (const table of batch) {
        const size = byOid.get(table.oid);
        dataBytes += Number(size?.total ?? 0);
        rows += estimateRows(
          { relpages: table.relpages, reltuples: table.reltuples, declaredWidth: table.width },
          Number(size?.heap ?? 0),
          table.block,
        );
      }
    }
    const total = await client.query<{ total: string }>('SELECT pg_database_size(current_database())::text AS total');
    return { database, tables: tables.length, rows, dataBytes, totalBytes: Number(total.rows[0]!.total) };
  } finally {
    await closeQuietly(client);
  }
}
