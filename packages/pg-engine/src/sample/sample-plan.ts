/**
 * Sampled backups: which rows of each table to copy so that the sample restores with every foreign key intact.
 *
 * Each table first gets its own deterministic sample (a predicate, evaluated by the server): `percent` keeps the
 * rows whose hash (of the primary key, else of the whole row) falls below the threshold, `rows` keeps the first n
 * rows in primary-key order (ctid order without one). Then the sample is closed over the foreign keys, parent-ward,
 * until nothing changes: the distinct non-null keys that the selected rows of a child reference are added to the
 * parent's selection (`own sample OR key IN referenced keys`), which may select more parent rows, whose own
 * references are followed in the next round; self-references and cycles end because key sets only grow.
 *
 * Everything runs in the coordinator's read-only snapshot transaction (so no temporary tables): the referenced keys
 * are held in memory (KeySet) and embedded in the workers' COPY (SELECT ... WHERE ...) statements as array
 * literals, which suits samples of up to a few million referenced keys.
 */
import type { Logger, SampleSpec } from '@dbbackup/archive';
import { PERCENT_BUCKETS, percentThreshold } from '@dbbackup/engine-kit';
import type pg from 'pg';
import type { SampleSummary } from '../archive-layout.js';
import type { TableBackupState } from '../backup/table-state.js';
import type { WorkItem } from '../backup/work-plan.js';
import { type ForeignKeyEdge, readForeignKeys } from './foreign-keys.js';
import { KeySet } from './key-set.js';
import { validateSample } from './sample-spec.js';

export interface SamplePlan {
  items: WorkItem<TableBackupState>[];
  summary: SampleSummary;
}

interface TableSample {
  table: TableBackupState;
  own: string;
  /** Key sets of the relations this table's rows belong to (itself, or the partitioned table above it). */
  referenced: KeySet[];
}

export async function planSample(
  client: pg.Client,
  tables: readonly TableBackupState[],
  sample: SampleSpec,
  logger?: Logger,
): Promise<SamplePlan> {
  validateSample(sample);
  const saved = await client.query<{ path: string }>("SELECT pg_catalog.current_setting('search_path') AS path");
  // Qualified type names from format_type(), whatever the workers' search_path is. (On an error the transaction
  // is rolled back, which undoes this local setting as well.)
  await client.query("SELECT pg_catalog.set_config('search_path', '', true)");
  const plan = await planInSnapshot(client, tables, sample, logger);
  await client.query('SELECT pg_catalog.set_config($1, $2, true)', ['search_path', saved.rows[0]!.path]);
  return plan;
}

async function planInSnapshot(
  client: pg.Client,
  tables: readonly TableBackupState[],
  sample: SampleSpec,
  logger?: Logger,
): Promise<SamplePlan> {
  const primaryKeys = await readPrimaryKeys(
    client,
    tables.map((table) => table.oid),
  );
  const samples = new Map<number, TableSample>();
  for (const table of tables) {
    const own = ownSample(table, primaryKeys.get(table.oid) ?? null, sample);
    samples.set(table.oid, { table, own, referenced: [] });
  }
  const edges = await readForeignKeys(client, new Set(samples.keys()));
  const keySets = attachKeySets(edges, samples);
  const rounds = await closeOverForeignKeys(client, samples, edges, keySets);
  const referencedKeys = [...new Set(keySets.values())].reduce((sum, keySet) => sum + keySet.size, 0);
  logger?.info('sample closed over foreign keys', { rounds, foreignKeys: edges.length, referencedKeys });

  const items = [...samples.values()]
    .map((entry) => ({
      table: entry.table,
      sql: `COPY (${selectSql(entry, entry.table.columns)}) TO STDOUT`,
      estimatedBytes: entry.table.estimatedBytes,
    }))
    .sort((a, b) => b.estimatedBytes - a.estimatedBytes);
  return {
    items,
    summary: {
      strategy: sample.strategy,
      value: sample.value,
      closureRounds: rounds,
      foreignKeys: edges.length,
      referencedKeys,
    },
  };
}

/**
 * Rounds until no key set grows: each round queries, for every foreign key whose child's selection changed in the
 * previous round, the keys its selected rows reference. It ends because key sets only grow and are bounded by the
 * rows that exist. Returns the number of rounds (the last one found nothing new).
 */
async function closeOverForeignKeys(
  client: pg.Client,
  samples: ReadonlyMap<number, TableSample>,
  edges: readonly ForeignKeyEdge[],
  keySets: ReadonlyMap<ForeignKeyEdge, KeySet>,
): Promise<number> {
  let dirty = new Set(samples.keys());
  let rounds = 0;
  while (dirty.size > 0) {
    rounds++;
    const changed = new Set<KeySet>();
    for (const edge of edges) {
      const keySet = keySets.get(edge)!;
      for (const child of edge.childLeaves) {
        if (dirty.has(child) && (await addReferencedKeys(client, samples.get(child)!, edge, keySet))) {
          changed.add(keySet);
        }
      }
    }
    dirty = new Set(edges.filter((edge) => changed.has(keySets.get(edge)!)).flatMap((edge) => edge.parentLeaves));
  }
  return rounds;
}

/** One KeySet per referenced (relation, columns), shared by every foreign key naming the same key. */
function attachKeySets(
  edges: readonly ForeignKeyEdge[],
  samples: Map<number, TableSample>,
): Map<ForeignKeyEdge, KeySet> {
  const byKey = new Map<string, KeySet>();
  const result = new Map<ForeignKeyEdge, KeySet>();
  for (const edge of edges) {
    const id = `${edge.parentRelation}:${edge.parentColumns.join(',')}`;
    let keySet = byKey.get(id);
    if (!keySet) {
      keySet = new KeySet(edge.parentColumns, edge.parentTypes);
      byKey.set(id, keySet);
      for (const leaf of edge.parentLeaves) samples.get(leaf)!.referenced.push(keySet);
    }
    result.set(edge, keySet);
  }
  return result;
}

/**
 * Queries the distinct keys the child's selected rows reference through `edge`; true when any was new. For a
 * self-reference the query follows the chain to its end at once (parent of parent ...: a recursive query whose
 * UNION stops at cycles), so a deep hierarchy costs one round, not one per level.
 */
async function addReferencedKeys(
  client: pg.Client,
  child: TableSample,
  edge: ForeignKeyEdge,
  keySet: KeySet,
): Promise<boolean> {
  const columns = (alias: string) => edge.childColumns.map((name) => `${alias}.${name}`);
  // MATCH SIMPLE: a key with a null column references nothing (MATCH FULL allows only all-null ones).
  const notNull = (alias: string) =>
    columns(alias)
      .map((column) => `${column} IS NOT NULL`)
      .join(' AND ');
  const start = `SELECT ${columns('s').join(', ')} FROM ONLY ${child.table.qualifiedName} AS s
                  WHERE (${selection(child)}) AND ${notNull('s')}`;
  const keys = edge.childColumns.map((_, index) => `k${index}`);
  let text: string;
  if (edge.selfReference) {
    const parentKey = edge.parentColumns.map((name) => `p.${name}`);
    const reached = keys.map((key) => `r.${key}`);
    const join =
      keys.length === 1 ? `${parentKey[0]} = ${reached[0]}` : `(${parentKey.join(', ')}) = (${reached.join(', ')})`;
    text = `WITH RECURSIVE r(${keys.join(', ')}) AS (
              ${start}
              UNION
              SELECT ${columns('p').join(', ')} FROM r JOIN ${edge.parentFrom} AS p ON ${join} WHERE ${notNull('p')})
            SELECT ${keys.map((key) => `r.${key}::pg_catalog.text`).join(', ')} FROM r`;
  } else {
    text = `SELECT DISTINCT ${keys.map((key) => `r.${key}::pg_catalog.text`).join(', ')}
              FROM (${start}) AS r(${keys.join(', ')})`;
  }
  const result = await client.query<string[]>({ text, rowMode: 'array' });
  let added = false;
  for (const row of result.rows) if (keySet.add(row)) added = true;
  return added;
}

/** The table's own sample OR any key that sampled rows reference. */
function selection(entry: TableSample): string {
  const conditions = [entry.own];
  for (const keySet of entry.referenced) {
    const condition = keySet.condition();
    if (condition !== null) conditions.push(condition);
  }
  return conditions.map((condition) => `(${condition})`).join(' OR ');
}

function selectSql(entry: TableSample, columns: string): string {
  // ONLY: a table's COPY never includes inheritance children, so neither may the sample.
  return `SELECT ${columns} FROM ONLY ${entry.table.qualifiedName} AS s WHERE ${selection(entry)}`;
}

/** The table's own share, as a predicate on the row alias `s`. */
function ownSample(table: TableBackupState, primaryKey: string[] | null, sample: SampleSpec): string {
  const key = primaryKey ? primaryKey.map((name) => `s.${name}`) : null;
  if (sample.strategy === 'percent') {
    const hashed = key ? `ROW(${key.join(', ')})::pg_catalog.text` : 'ROW(s.*)::pg_catalog.text';
    return `(pg_catalog.hashtextextended(${hashed}, 0) & 9223372036854775807) % ${PERCENT_BUCKETS} < ${percentThreshold(sample.value)}`;
  }
  if (key) {
    const inner = primaryKey!.map((name) => `x.${name}`).join(', ');
    const target = key.length === 1 ? key[0]! : `(${key.join(', ')})`;
    return `${target} IN (SELECT ${inner} FROM ONLY ${table.qualifiedName} AS x ORDER BY ${inner} LIMIT ${sample.value})`;
  }
  return `s.ctid = ANY (ARRAY(SELECT x.ctid FROM ONLY ${table.qualifiedName} AS x ORDER BY x.ctid LIMIT ${sample.value}))`;
}

/** Quoted primary-key columns per table, in key order. */
async function readPrimaryKeys(client: pg.Client, oids: number[]): Promise<Map<number, string[]>> {
  const { rows } = await client.query<{ oid: string; columns: string[] }>(
    `SELECT c.conrelid::int8 AS oid,
            ARRAY(SELECT pg_catalog.quote_ident(a.attname)
                    FROM pg_catalog.unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
                    JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
                   ORDER BY k.ord) AS columns
       FROM pg_catalog.pg_constraint c
      WHERE c.contype = 'p' AND c.conrelid = ANY($1::pg_catalog.oid[])`,
    [oids],
  );
  return new Map(rows.map((row) => [Number(row.oid), row.columns]));
}
