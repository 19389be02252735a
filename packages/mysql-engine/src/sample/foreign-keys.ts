import type { Connection, RowDataPacket } from 'mysql2/promise';

/** One foreign key inside the dumped database: child columns reference parent columns, in step. */
export interface ForeignKeyEdge {
  name: string;
  /** Raw table names. */
  child: string;
  parent: string;
  /** Raw column names. */
  childColumns: string[];
  parentColumns: string[];
}

/**
 * Foreign keys whose child and parent are both tables of `database` (information_schema.KEY_COLUMN_USAGE; InnoDB
 * is the engine that enforces them). Keys into other databases are returned separately: a sample cannot close over
 * them, so the caller reports them.
 */
export async function readForeignKeys(
  client: Connection,
  database: string,
): Promise<{ edges: ForeignKeyEdge[]; external: string[] }> {
  const [rows] = await client.query<RowDataPacket[]>(
    `SELECT k.CONSTRAINT_NAME AS name, k.TABLE_NAME AS child, k.COLUMN_NAME AS childColumn,
            k.REFERENCED_TABLE_SCHEMA AS parentSchema, k.REFERENCED_TABLE_NAME AS parent,
            k.REFERENCED_COLUMN_NAME AS parentColumn
       FROM information_schema.KEY_COLUMN_USAGE k
       JOIN information_schema.REFERENTIAL_CONSTRAINTS r
         ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME
        AND r.TABLE_NAME = k.TABLE_NAME
      WHERE k.TABLE_SCHEMA = ? AND k.REFERENCED_TABLE_NAME IS NOT NULL
      ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION`,
    [database],
  );
  const byName = new Map<string, ForeignKeyEdge>();
  const external = new Set<string>();
  for (const row of rows) {
    const child = String(row.child);
    const name = String(row.name);
    if (String(row.parentSchema) !== database) {
      external.add(`${child}.${name}`);
      continue;
    }
    const key = `${child}\u0000${name}`;
    let edge = byName.get(key);
    if (!edge) {
      edge = { name, child, parent: String(row.parent), childColumns: [], parentColumns: [] };
      byName.set(key, edge);
    }
    edge.childColumns.push(String(row.childColumn));
    edge.parentColumns.push(String(row.parentColumn));
  }
  return { edges: [...byName.values()], external: [...external] };
}
