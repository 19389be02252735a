import type { MysqlColumnInfo, MysqlServerInfo, MysqlTableInfo } from '../schema/index.js';

/** How one table's rows are read and loaded: the SELECT expressions and the LOAD DATA column list, in step. */
export interface TableReadSpec {
  /** Comma-separated SELECT expressions, one per loaded column. */
  selectList: string;
  /** Comma-separated quoted LOAD DATA target columns (stored columns, invisible ones, period columns). */
  loadColumns: string;
  columnCount: number;
  /** `FOR SYSTEM_TIME ALL`: history rows of a system-versioned table are part of its data. */
  allHistory: boolean;
  /** ENUM columns selected with a zero token (see enumExpression): select-list position and token length. */
  enumTokenFields: { field: number; tokenLength: number }[];
  /** Raw names of those columns (their error values load with an expected truncation warning). */
  enumTokenColumns: string[];
}

/**
 * MariaDB's fixed-size binary types print as text, but LOAD DATA ... CHARACTER SET binary takes their native binary
 * form (a binary string is parsed as the raw value): read that form instead. Bytes per value.
 */
const NATIVE_BINARY_SIZES: Readonly<Record<string, number>> = { inet4: 4, inet6: 16, uuid: 16 };

/** Candidates for the ENUM error value (index 0) that LOAD DATA reads back as index 0 (see enumExpression). */
const ENUM_ZERO_TOKENS = ['0', '00', '000', '0000', '00000'];

/**
 * Builds the column expressions of a table's data SELECT. Almost every column is selected as is (the server's
 * exact text, or the raw bytes with character_set_results = binary); the exceptions are values whose text would
 * not load back to the same stored value:
 * - FLOAT: the server prints 6 significant digits (16777217 reads as 16777200); as DOUBLE the float's exact value
 *   prints with 17 digits and LOAD DATA rounds it back to the identical float.
 * - ENUM error value (index 0, stored by a non-strict INSERT of an unknown member): it reads as '', the same text as
 *   a member '' would. It is selected as a string of '0' digits that is not a member, which LOAD DATA reads as
 *   index 0. The server warns for every index-0 value it stores however it is written, so the encoder counts these
 *   values per part and the restore accepts exactly that many truncation warnings on exactly these columns.
 * - INET4, INET6, UUID (MariaDB): read as their native binary form, which is what a binary LOAD DATA stores.
 */
export function tableReadSpec(table: MysqlTableInfo, server: MysqlServerInfo): TableReadSpec {
  const select = table.columnDetails.map((column) => columnExpression(column, server));
  const enumTokenFields: { field: number; tokenLength: number }[] = [];
  const enumTokenColumns: string[] = [];
  table.columnDetails.forEach((column, field) => {
    const token = column.dataType === 'enum' ? enumZeroToken(column) : undefined;
    if (token === undefined) return;
    enumTokenFields.push({ field, tokenLength: token.length });
    enumTokenColumns.push(column.name);
  });
  const load = [...table.columns];
  if (table.systemVersioning) {
    select.push(table.systemVersioning.rowStart, table.systemVersioning.rowEnd);
    load.push(table.systemVersioning.rowStart, table.systemVersioning.rowEnd);
  }
  return {
    selectList: select.join(', '),
    loadColumns: load.join(', '),
    columnCount: load.length,
    allHistory: table.systemVersioning !== null,
    enumTokenFields,
    enumTokenColumns,
  };
}

export function columnExpression(column: MysqlColumnInfo, server: MysqlServerInfo): string {
  switch (column.dataType) {
    case 'float':
      return floatExpression(column.quotedName, server);
    case 'enum':
      return enumExpression(column);
    default: {
      const size = NATIVE_BINARY_SIZES[column.dataType];
      return size === undefined ? column.quotedName : `CAST(${column.quotedName} AS BINARY(${size}))`;
    }
  }
}

function floatExpression(name: string, server: MysqlServerInfo): string {
  // CAST(... AS DOUBLE): MariaDB (all supported versions), MySQL 8.0.17+. Older MySQL: + 0E0, which is exact too
  // but turns -0 into 0.
  const canCast = server.flavor === 'mariadb' || server.versionNum >= 80017;
  return canCast ? `CAST(${name} AS DOUBLE)` : `(${name} + 0E0)`;
}

function enumZeroToken(column: MysqlColumnInfo): string | undefined {
  const members = new Set(parseEnumMembers(column.columnType));
  return ENUM_ZERO_TOKENS.find((candidate) => !members.has(candidate));
}

function enumExpression(column: MysqlColumnInfo): string {
  const token = enumZeroToken(column);
  if (token === undefined) return column.quotedName;
  return `CASE WHEN ${column.quotedName} + 0 = 0 THEN '${token}' ELSE ${column.quotedName} END`;
}

/** Members of `enum('a','b''c','d\\e')` as COLUMN_TYPE prints them (quotes doubled, backslashes escaped). */
export function parseEnumMembers(columnType: string): string[] {
  const members: string[] = [];
  const pattern = /'((?:[^'\\]|''|\\.)*)'/g;
  for (const match of columnType.matchAll(pattern)) {
    members.push(match[1]!.replace(/''/g, "'").replace(/\\(.)/g, '$1'));
  }
  return members;
}
