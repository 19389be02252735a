import type { Connection, RowDataPacket } from 'mysql2/promise';

/**
 * `CHECKSUM TABLE ... EXTENDED` of every base table and sequence of a database (views have none), keyed by the
 * raw table name. EXTENDED reads every row, so it is exact for every engine; null for a table the server could
 * not checksum.
 */
export async function checksumTables(connection: Connection, database: string): Promise<Map<string, string | null>> {
  const [tables] = await connection.query<RowDataPacket[]>(
    `SELECT TABLE_NAME AS name FROM information_schema.TABLES
      WHERE TABLE_SCHEMA = ? AND TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED', 'SEQUENCE') ORDER BY TABLE_NAME`,
    [database],
  );
  const checksums = new Map<string, string | null>();
  if (tables.length === 0) return checksums;
  const quote = (name: string) => `\`${name.replaceAll('`', '``')}\``;
  const list = tables.map((table) => `${quote(database)}.${quote(String(table.name))}`).join(', ');
  const [rows] = await connection.query<RowDataPacket[]>({
    sql: `CHECKSUM TABLE ${list} EXTENDED`,
    supportBigNumbers: true,
    bigNumberStrings: true,
  });
  const prefix = `${database}.`;
  for (const row of rows) {
    const table = String(row.Table);
    checksums.set(
      table.startsWith(prefix) ? table.slice(prefix.length) : table,
      row.Checksum === null ? null : String(row.Checksum),
    );
  }
  return checksums;
}
