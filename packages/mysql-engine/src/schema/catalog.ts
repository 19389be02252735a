import type { Connection, RowDataPacket } from 'mysql2/promise';
import type { MysqlServerInfo } from './types.js';

/** One row of information_schema.TABLES for the dumped database. */
export interface CatalogTable {
  name: string;
  /** BASE TABLE, SYSTEM VERSIONED (MariaDB), SEQUENCE (MariaDB) or VIEW. */
  type: string;
  engine: string | null;
  rows: number;
  dataLength: number;
  createOptions: string;
}

export interface CatalogColumn {
  table: string;
  name: string;
  dataType: string;
  columnType: string;
  characterSet: string | null;
  collation: string | null;
  nullable: boolean;
  columnDefault: string | null;
  /** VIRTUAL or STORED generated column (not a MySQL DEFAULT_GENERATED expression default). */
  generated: boolean;
  invisible: boolean;
  autoIncrement: boolean;
  /** MariaDB system-versioning period column. */
  period: 'start' | 'end' | null;
}

export interface CatalogIndexColumn {
  /** null for a MySQL 8 functional key part. */
  name: string | null;
  subPart: number | null;
}

export interface CatalogIndex {
  table: string;
  name: string;
  unique: boolean;
  /** BTREE, HASH, FULLTEXT, SPATIAL, ... */
  type: string;
  columns: CatalogIndexColumn[];
}

/** A foreign key's columns on one side (the referencing table's, or the referenced table's). */
export interface CatalogForeignKeySide {
  table: string;
  columns: string[];
}

export interface Catalog {
  tables: CatalogTable[];
  columnsByTable: Map<string, CatalogColumn[]>;
  indexesByTable: Map<string, CatalogIndex[]>;
  /** Column lists that need an index with those leading columns, per table of the dumped database. */
  foreignKeyColumnsByTable: Map<string, string[][]>;
}

/** Reads what SHOW CREATE does not say in structured form, in four queries for the whole database. */
export async function readCatalog(connection: Connection, server: MysqlServerInfo, database: string): Promise<Catalog> {
  const tables = await readTables(connection, database);
  const columnsByTable = groupBy(await readColumns(connection, server, database), (column) => column.table);
  const indexesByTable = groupBy(await readIndexes(connection, database), (index) => index.table);
  const foreignKeyColumnsByTable = await readForeignKeyColumns(connection, database);
  return { tables, columnsByTable, indexesByTable, foreignKeyColumnsByTable };
}

async function readTables(connection: Connection, database: string): Promise<CatalogTable[]> {
  const [rows] = await connection.query<RowDataPacket[]>(
    `SELECT TABLE_NAME AS name, TABLE_TYPE AS type, ENGINE AS engine, TABLE_ROWS AS tableRows,
            DATA_LENGTH AS dataLength, CREATE_OPTIONS AS createOptions
       FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?`,
    [database],
  );
  return rows
    .map((row) => ({
      name: String(row.name),
      type: String(row.type),
      engine: row.engine === null ? null : String(row.engine),
      rows: Number(row.tableRows ?? 0),
      dataLength: Number(row.dataLength ?? 0),
      createOptions: String(row.createOptions ?? ''),
    }))
    .sort((a, b) => compareNames(a.name, b.name));
}

async function readColumns(
  connection: Connection,
  server: MysqlServerInfo,
  database: string,
): Promise<CatalogColumn[]> {
  // MariaDB names system-versioning period columns in GENERATION_EXPRESSION ('ROW START' / 'ROW END').
  const [rows] = await connection.query<RowDataPacket[]>(
    `SELECT TABLE_NAME AS tableName, COLUMN_NAME AS name, DATA_TYPE AS dataType, COLUMN_TYPE AS columnType,
            CHARACTER_SET_NAME AS characterSet, COLLATION_NAME AS collation, IS_NULLABLE AS nullable,
            COLUMN_DEFAULT AS columnDefault, EXTRA AS extra,
            ${server.flavor === 'mariadb' ? 'GENERATION_EXPRESSION' : 'NULL'} AS generation
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?
      ORDER BY TABLE_NAME, ORDINAL_POSITION`,
    [database],
  );
  return rows.map((row) => {
    const extra = String(row.extra ?? '').toUpperCase();
    const generation = row.generation === null ? '' : String(row.generation);
    return {
      table: String(row.tableName),
      name: String(row.name),
      dataType: String(row.dataType).toLowerCase(),
      columnType: String(row.columnType),
      characterSet: row.characterSet === null ? null : String(row.characterSet),
      collation: row.collation === null ? null : String(row.collation),
      nullable: row.nullable === 'YES',
      columnDefault: row.columnDefault === null ? null : String(row.columnDefault),
      generated: /\b(VIRTUAL|STORED|PERSISTENT) GENERATED\b/.test(extra),
      invisible: /\bINVISIBLE\b/.test(extra),
      autoIncrement: /\bAUTO_INCREMENT\b/.test(extra),
      period: generation === 'ROW START' ? 'start' : generation === 'ROW END' ? 'end' : null,
    };
  });
}

async function readIndexes(connection: Connection, database: string): Promise<CatalogIndex[]> {
  const [rows] = await connection.query<RowDataPacket[]>(
    `SELECT TABLE_NAME AS tableName, INDEX_NAME AS indexName, NON_UNIQUE AS nonUnique, INDEX_TYPE AS indexType,
            COLUMN_NAME AS columnName, SUB_PART AS subPart
       FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ?
      ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
    [database],
  );
  const indexes = new Map<string, CatalogIndex>();
  for (const row of rows) {
    const table = String(row.tableName);
    const name = String(row.indexName);
    const key = `${table}\u0000${name}`;
    let index = indexes.get(key);
    if (!index) {
      index = { table, name, unique: Number(row.nonUnique) === 0, type: String(row.indexType), columns: [] };
      indexes.set(key, index);
    }
    index.columns.push({
      name: row.columnName === null ? null : String(row.columnName),
      subPart: row.subPart === null ? null : Number(row.subPart),
    });
  }
  return [...indexes.values()];
}

/** Both sides of every foreign key touching the database: each needs an index led by its columns. */
async function readForeignKeyColumns(connection: Connection, database: string): Promise<Map<string, string[][]>> {
  const [rows] = await connection.query<RowDataPacket[]>(
    `SELECT TABLE_SCHEMA AS tableSchema, TABLE_NAME AS tableName, CONSTRAINT_NAME AS constraintName,
            COLUMN_NAME AS columnName, REFERENCED_TABLE_SCHEMA AS referencedSchema,
            REFERENCED_TABLE_NAME AS referencedTable, REFERENCED_COLUMN_NAME AS referencedColumn
       FROM information_schema.KEY_COLUMN_USAGE
      WHERE REFERENCED_TABLE_NAME IS NOT NULL AND (TABLE_SCHEMA = ? OR REFERENCED_TABLE_SCHEMA = ?)
      ORDER BY TABLE_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION`,
    [database, database],
  );
  const sides = new Map<string, CatalogForeignKeySide>();
  const add = (key: string, table: string, column: string) => {
    let side = sides.get(key);
    if (!side) {
      side = { table, columns: [] };
      sides.set(key, side);
    }
    side.columns.push(column);
  };
  for (const row of rows) {
    const constraint = `${row.tableSchema}\u0000${row.tableName}\u0000${row.constraintName}`;
    if (row.tableSchema === database) add(`child\u0000${constraint}`, String(row.tableName), String(row.columnName));
    if (row.referencedSchema === database) {
      add(`parent\u0000${constraint}`, String(row.referencedTable), String(row.referencedColumn));
    }
  }
  const byTable = new Map<string, string[][]>();
  for (const side of sides.values()) {
    const list = byTable.get(side.table) ?? [];
    list.push(side.columns);
    byTable.set(side.table, list);
  }
  return byTable;
}

function groupBy<T>(items: T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/** Deterministic name order (code points), independent of the server's collation. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
