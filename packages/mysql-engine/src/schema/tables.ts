import type { Connection, RowDataPacket } from 'mysql2/promise';
import type { Catalog, CatalogColumn, CatalogIndex, CatalogTable } from './catalog.js';
import {
  type CreateTableElement,
  type CreateTableParts,
  joinCreateTable,
  splitCreateTable,
} from './create-table-parts.js';
import { stripDatabaseQualifier } from './database-qualifier.js';
import { planIndexDeferral } from './deferred-indexes.js';
import { MysqlCreateTableParseError, MysqlDefinitionUnreadableError } from './errors.js';
import { quoteIdentifier } from './quote.js';
import { needsSupplementaryRepair, repairSupplementaryCharacters } from './supplementary-characters.js';
import type {
  MysqlColumnInfo,
  MysqlPostDataItem,
  MysqlServerInfo,
  MysqlSystemVersioning,
  MysqlTableInfo,
} from './types.js';

/** Engines whose rows are not stored by the table itself; mysqldump skips their data too. */
const ENGINES_WITHOUT_OWN_DATA = new Set(['MRG_MYISAM', 'MRG_ISAM', 'FEDERATED', 'CONNECT', 'SPIDER', 'BLACKHOLE']);

export interface DumpedTable {
  createStatement: string;
  info: MysqlTableInfo;
  /** Post-data items adding the deferred secondary keys (empty unless deferral was asked for and possible). */
  indexItems: MysqlPostDataItem[];
  warnings: string[];
}

export async function dumpTable(
  connection: Connection,
  server: MysqlServerInfo,
  database: string,
  catalog: Catalog,
  table: CatalogTable,
  deferSecondaryIndexes: boolean,
): Promise<DumpedTable> {
  const quotedName = quoteIdentifier(table.name);
  const [rows] = await connection.query<RowDataPacket[]>(`SHOW CREATE TABLE ${quotedName}`);
  const original = rows[0]?.['Create Table'];
  if (typeof original !== 'string') throw new MysqlDefinitionUnreadableError('table', quotedName);
  const columns = catalog.columnsByTable.get(table.name) ?? [];
  const indexes = catalog.indexesByTable.get(table.name) ?? [];

  const lossyColumns = columns.filter(needsSupplementaryRepair);
  const systemVersioned = table.type === 'SYSTEM VERSIONED';
  const deferrable =
    deferSecondaryIndexes && table.engine?.toUpperCase() === 'INNODB' && !systemVersioned && indexes.some(isPrimary);

  const reshaped = await reshapeCreateTable(
    connection,
    server,
    table.name,
    stripDatabaseQualifier(original, database),
    lossyColumns,
    deferrable ? { indexes, columns, foreignKeyColumns: catalog.foreignKeyColumnsByTable.get(table.name) ?? [] } : null,
  );
  return { ...reshaped, info: tableInfo(database, table, columns, indexes) };
}

/**
 * The CREATE TABLE with lossy ENUM/SET members and defaults repaired and, when `deferral` is given, the deferrable
 * secondary keys moved into post-data items. A statement the splitter cannot parse stays as printed, with a warning.
 */
async function reshapeCreateTable(
  connection: Connection,
  server: MysqlServerInfo,
  table: string,
  statement: string,
  lossyColumns: CatalogColumn[],
  deferral: { indexes: CatalogIndex[]; columns: CatalogColumn[]; foreignKeyColumns: string[][] } | null,
): Promise<Omit<DumpedTable, 'info'>> {
  const unchanged = { createStatement: statement, indexItems: [], warnings: [] };
  if (lossyColumns.length === 0 && deferral === null) return unchanged;
  let parts: CreateTableParts;
  try {
    parts = splitCreateTable(table, statement);
  } catch (error) {
    if (!(error instanceof MysqlCreateTableParseError)) throw error;
    const warning = `${error.message}: its indexes are not deferred and its ENUM/SET members are dumped as printed`;
    return { ...unchanged, warnings: [warning] };
  }
  const warnings =
    lossyColumns.length > 0
      ? await repairSupplementaryCharacters(connection, server, table, lossyColumns, parts.elements)
      : [];
  let indexItems: MysqlPostDataItem[] = [];
  if (deferral) {
    const plan = planIndexDeferral(parts.elements, deferral.indexes, deferral.columns, deferral.foreignKeyColumns);
    parts.elements = plan.kept;
    indexItems = deferredIndexItems(table, plan.deferred);
  }
  return { createStatement: joinCreateTable(parts), indexItems, warnings };
}

function isPrimary(index: { name: string }): boolean {
  return index.name === 'PRIMARY';
}

/**
 * One item adding every deferred plain/unique/SPATIAL key in one ALTER (one pass over the rows), then one item per
 * FULLTEXT key, each after the previous: InnoDB builds only one FULLTEXT index per ALTER.
 */
function deferredIndexItems(table: string, keys: CreateTableElement[]): MysqlPostDataItem[] {
  const alter = `ALTER TABLE ${quoteIdentifier(table)} `;
  const items: MysqlPostDataItem[] = [];
  const plain = keys.filter((key) => key.kind !== 'fulltext-key');
  if (plain.length > 0) {
    items.push({
      id: `index:${table}`,
      kind: 'index',
      table,
      statements: [alter + plain.map((key) => `ADD ${key.text}`).join(', ')],
      dependsOn: [],
    });
  }
  for (const [position, key] of keys.filter((candidate) => candidate.kind === 'fulltext-key').entries()) {
    const previous = items.at(-1);
    items.push({
      id: `index-fulltext:${position + 1}:${table}`,
      kind: 'index',
      table,
      statements: [`${alter}ADD ${key.text}`],
      dependsOn: previous ? [previous.id] : [],
    });
  }
  return items;
}

function tableInfo(
  database: string,
  table: CatalogTable,
  columns: CatalogColumn[],
  indexes: CatalogIndex[],
): MysqlTableInfo {
  const stored = columns.filter((column) => !column.generated && column.period === null);
  const columnDetails: MysqlColumnInfo[] = stored.map((column) => ({
    name: column.name,
    quotedName: quoteIdentifier(column.name),
    dataType: column.dataType,
    columnType: column.columnType,
    characterSet: column.characterSet,
    collation: column.collation,
    nullable: column.nullable,
    invisible: column.invisible,
  }));
  const primary = indexes.find(isPrimary);
  return {
    schema: database,
    name: table.name,
    quotedName: quoteIdentifier(table.name),
    engine: table.engine,
    columns: columnDetails.map((column) => column.quotedName),
    columnDetails,
    primaryKey: primary ? primary.columns.map((column) => quoteIdentifier(column.name ?? '')) : null,
    estimatedBytes: table.dataLength,
    estimatedRows: table.rows,
    systemVersioning: table.type === 'SYSTEM VERSIONED' ? systemVersioning(columns) : null,
    isPartitioned: /\bpartitioned\b/i.test(table.createOptions),
    ownsData: !ENGINES_WITHOUT_OWN_DATA.has((table.engine ?? '').toUpperCase()),
  };
}

function systemVersioning(columns: CatalogColumn[]): MysqlSystemVersioning {
  const start = columns.find((column) => column.period === 'start');
  const end = columns.find((column) => column.period === 'end');
  if (start && end) {
    return { rowStart: quoteIdentifier(start.name), rowEnd: quoteIdentifier(end.name), implicit: false };
  }
  return { rowStart: '`ROW_START`', rowEnd: '`ROW_END`', implicit: true };
}
