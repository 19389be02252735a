/**
 * Sampled backups: which rows of each table to copy so that the sample restores with every foreign key intact.
 *
 * Each table with a primary key first gets its own deterministic sample, as a set of primary-key tuples read in the
 * backup's snapshot: `percent` keeps the rows whose CRC32 of the primary-key columns, mod 1,000,000, is below the
 * threshold; `rows` keeps the first n rows in primary-key order. Then the samples are closed over the foreign keys,
 * parent-ward, with a worklist: the foreign-key values of newly selected child rows are looked up in the parent,
 * and parent rows not yet selected join the parent's set (and the worklist, so their own references are followed);
 * self-references and cycles end because the sets only grow. The keys live in memory and the data SELECTs name them
 * (`WHERE (pk) IN (...)`, in batches, one work item per batch), so every row is read once.
 *
 * A table without a primary key keeps a predicate instead (the hash of all its columns, or `LIMIT n` for `rows`);
 * if a foreign key references it, it is copied whole, since its rows cannot be named.
 */
import type { Logger, SampleSpec } from '@dbbackup/archive';
import { PERCENT_BUCKETS, percentThreshold } from '@dbbackup/engine-kit';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import type { TableBackupState } from '../backup/table-state.js';
import { selectSql, type WorkItem } from '../backup/work-plan.js';
import { type MysqlTableInfo, quoteIdentifier } from '../schema/index.js';
import { type ForeignKeyEdge, readForeignKeys } from './foreign-keys.js';
import { validateSample } from './sample-spec.js';

/** Keys per `IN (...)` list, in lookups and in data SELECTs. */
export const KEY_BATCH_SIZE = 1000;

/** What `manifest.extra.sample` records. */
export interface SampleSummary {
  strategy: SampleSpec['strategy'];
  value: number;
  /** Foreign keys the sample was closed over. */
  foreignKeys: number;
  /** Rows selected per table (raw name); null when the table is read by predicate (no primary key). */
  tables: Record<string, number | null>;
  /** Foreign keys into other databases, which a sample cannot follow (`table.constraint`). */
  externalForeignKeys: string[];
}

export interface SamplePlan {
  items: WorkItem<TableBackupState>[];
  summary: SampleSummary;
}

const NUMERIC_TYPES = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'bigint', 'decimal']);

interface SampledTable {
  state: TableBackupState;
  info: MysqlTableInfo;
  history: string;
  /** Quoted primary-key columns and whether each is numeric (written bare), or null. */
  key: { columns: string[]; numeric: boolean[] } | null;
  /** Selected key tuples as SQL literals (`1`, `(1,_binary X'41')`). */
  selected: Set<string>;
  /** Selected tuples whose foreign keys have not been followed yet. */
  frontier: string[];
  /** Tables without a primary key: the WHERE/LIMIT clause of their rows. */
  clause: string;
}

export async function planSample(
  client: Connection,
  database: string,
  tables: readonly TableBackupState[],
  infos: readonly MysqlTableInfo[],
  sample: SampleSpec,
  logger?: Logger,
): Promise<SamplePlan> {
  validateSample(sample);
  const infoByName = new Map(infos.map((info) => [info.name, info]));
  const sampled = new Map<string, SampledTable>();
  for (const state of tables) {
    const info = infoByName.get(state.name)!;
    const numeric = new Map(
      info.columnDetails.map((column) => [column.quotedName, NUMERIC_TYPES.has(column.dataType)]),
    );
    const pk = info.primaryKey && info.primaryKey.length > 0 ? info.primaryKey : null;
    sampled.set(state.name, {
      state,
      info,
      history: state.allHistory ? ' FOR SYSTEM_TIME ALL' : '',
      key: pk ? { columns: pk, numeric: pk.map((column) => numeric.get(column) ?? false) } : null,
      selected: new Set(),
      frontier: [],
      clause: '',
    });
  }
  const { edges: allEdges, external } = await readForeignKeys(client, database);
  const edges = allEdges.filter((edge) => sampled.has(edge.child) && sampled.has(edge.parent));
  if (external.length > 0) {
    logger?.warn('sampled backup: foreign keys into other databases are not followed', { external });
  }

  // Parents without a primary key are copied whole; other keyless tables keep their own predicate.
  const wholeTables = new Set(edges.map((edge) => edge.parent).filter((name) => sampled.get(name)!.key === null));
  for (const table of sampled.values()) {
    if (table.key === null) {
      table.clause = wholeTables.has(table.state.name) ? '' : ownClause(table, sample);
      continue;
    }
    const order = sample.strategy === 'rows' ? ` ORDER BY ${table.key.columns.join(', ')} LIMIT ${sample.value}` : '';
    const where = sample.strategy === 'percent' ? ` WHERE ${percentPredicate(table.key.columns, sample.value)}` : '';
    for (const tuple of await readTuples(client, table, table.key.columns, `${where}${order}`)) addKey(table, tuple);
  }

  // Keyless children: their (fixed) rows' references, once.
  for (const table of sampled.values()) {
    if (table.key !== null) continue;
    for (const edge of edges.filter((candidate) => candidate.child === table.state.name)) {
      const values = await readTuples(client, table, edge.childColumns.map(quoteIdentifier), table.clause, true);
      await selectReferenced(client, sampled.get(edge.parent)!, edge, values);
    }
  }
  // The worklist: follow the references of newly selected rows until nothing new is selected.
  for (;;) {
    const table = [...sampled.values()].find((candidate) => candidate.frontier.length > 0);
    if (!table) break;
    const frontier = table.frontier.splice(0);
    for (const edge of edges.filter((candidate) => candidate.child === table.state.name)) {
      const values: string[] = [];
      for (const batch of batches(frontier)) {
        const where = ` WHERE ${inList(table.key!.columns, batch)}`;
        values.push(...(await readTuples(client, table, edge.childColumns.map(quoteIdentifier), where, true)));
      }
      await selectReferenced(client, sampled.get(edge.parent)!, edge, [...new Set(values)]);
    }
  }

  const items: WorkItem<TableBackupState>[] = [];
  const summary: SampleSummary = {
    strategy: sample.strategy,
    value: sample.value,
    foreignKeys: edges.length,
    tables: {},
    externalForeignKeys: external,
  };
  for (const table of sampled.values()) {
    const base = selectSql(table.state);
    if (table.key === null) {
      summary.tables[table.state.name] = null;
      items.push({ table: table.state, sql: `${base}${table.clause}`, estimatedBytes: table.state.estimatedBytes });
      continue;
    }
    summary.tables[table.state.name] = table.selected.size;
    const keys = [...table.selected];
    const pieces = Math.ceil(keys.length / KEY_BATCH_SIZE);
    for (const batch of batches(keys)) {
      const sql = `${base} WHERE ${inList(table.key.columns, batch)}`;
      items.push({ table: table.state, sql, estimatedBytes: table.state.estimatedBytes / pieces });
    }
  }
  items.sort((a, b) => b.estimatedBytes - a.estimatedBytes);
  return { items, summary };
}

function addKey(table: SampledTable, tuple: string): void {
  if (table.selected.has(tuple)) return;
  table.selected.add(tuple);
  table.frontier.push(tuple);
}

/** Adds the parent rows whose referenced columns hold one of `values` (child foreign-key tuples). */
async function selectReferenced(
  client: Connection,
  parent: SampledTable,
  edge: ForeignKeyEdge,
  values: string[],
): Promise<void> {
  if (parent.key === null || values.length === 0) return;
  const referenced = edge.parentColumns.map(quoteIdentifier);
  for (const batch of batches(values)) {
    const where = ` WHERE ${inList(referenced, batch)}`;
    for (const tuple of await readTuples(client, parent, parent.key.columns, where)) addKey(parent, tuple);
  }
}

/** The own sample of a keyless table: the hash of all its columns, or its first n rows in scan order. */
function ownClause(table: SampledTable, sample: SampleSpec): string {
  if (sample.strategy === 'rows') return ` LIMIT ${sample.value}`;
  return ` WHERE ${percentPredicate(table.info.columns, sample.value)}`;
}

function percentPredicate(columns: readonly string[], percent: number): string {
  const parts = columns.map((column) => `CAST(${column} AS BINARY)`).join(', ');
  return `MOD(CRC32(CONCAT_WS(X'1f', ${parts})), ${PERCENT_BUCKETS}) < ${percentThreshold(percent)}`;
}

/**
 * Reads `columns` of the rows `clause` picks as SQL literal tuples: numbers bare, everything else as the exact
 * bytes in a `_binary X'...'` literal (compared with the column's own value by the server). With `skipNull`, tuples
 * with a NULL are dropped (a NULL foreign key references nothing).
 */
async function readTuples(
  client: Connection,
  table: SampledTable,
  columns: readonly string[],
  clause: string,
  skipNull = false,
): Promise<string[]> {
  const numeric = columns.map((column) =>
    table.info.columnDetails.some((detail) => detail.quotedName === column && NUMERIC_TYPES.has(detail.dataType)),
  );
  const select = columns.map((column, i) => `HEX(CAST(${column} AS BINARY)) AS c${i}`).join(', ');
  const distinct = skipNull ? 'DISTINCT ' : '';
  const [rows] = await client.query<RowDataPacket[]>({
    sql: `SELECT ${distinct}${select} FROM ${table.state.quotedName}${table.history}${clause}`,
    rowsAsArray: true,
  });
  const tuples: string[] = [];
  for (const row of rows as unknown as (string | null)[][]) {
    if (row.some((value) => value === null)) {
      if (skipNull) continue;
    }
    const literals = row.map((value, i) => {
      if (value === null) return 'NULL';
      const hex = String(value);
      return numeric[i] ? Buffer.from(hex, 'hex').toString('latin1') : `_binary X'${hex}'`;
    });
    tuples.push(literals.length === 1 ? literals[0]! : `(${literals.join(',')})`);
  }
  return tuples;
}

function inList(columns: readonly string[], tuples: readonly string[]): string {
  const target = columns.length === 1 ? columns[0]! : `(${columns.join(', ')})`;
  return `${target} IN (${tuples.join(',')})`;
}

function* batches<T>(values: readonly T[]): Generator<T[]> {
  for (let i = 0; i < values.length; i += KEY_BATCH_SIZE) yield values.slice(i, i + KEY_BATCH_SIZE);
}
