import type pg from 'pg';

/**
 * One foreign key, resolved to the tables that hold rows: a constraint on a partitioned table applies to every leaf
 * partition, and a referenced partitioned table keeps its rows in its leaves. (A foreign key on a table with
 * inheritance children covers only that table's own rows, as PostgreSQL checks it.)
 */
export interface ForeignKeyEdge {
  name: string;
  /** Leaf tables whose rows reference the parent (oids). */
  childLeaves: number[];
  /** The referenced relation (maybe partitioned) and the leaf tables that hold its rows. */
  parentRelation: number;
  /** `schema.name` of the referenced relation, and `ONLY ` unless it is partitioned (a FK checks no other rows). */
  parentFrom: string;
  /** The constraint references its own table: its chains are followed in one recursive query. */
  selfReference: boolean;
  parentLeaves: number[];
  /** Quoted column names, in key order. */
  childColumns: string[];
  parentColumns: string[];
  /** format_type() of the referenced columns, to cast the keys' text back. */
  parentTypes: string[];
}

interface ConstraintRow {
  name: string;
  child: string;
  parent: string;
  parent_from: string;
  self_reference: boolean;
  child_columns: string[];
  parent_columns: string[];
  parent_types: string[];
}

/**
 * Top-level foreign keys (partition clones, conparentid <> 0, are covered by their parent constraint) whose two
 * ends both hold rows among `dataTables`. Run with search_path = '' so the type names come out qualified.
 */
export async function readForeignKeys(
  client: pg.ClientBase,
  dataTables: ReadonlySet<number>,
): Promise<ForeignKeyEdge[]> {
  const { rows } = await client.query<ConstraintRow>(
    `SELECT c.conname AS name, c.conrelid::int8 AS child, c.confrelid::int8 AS parent,
            CASE WHEN p.relkind = 'p' THEN '' ELSE 'ONLY ' END
              || pg_catalog.format('%I.%I', pn.nspname, p.relname) AS parent_from,
            c.conrelid = c.confrelid AS self_reference,
            ARRAY(SELECT pg_catalog.quote_ident(a.attname)
                    FROM pg_catalog.unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
                    JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
                   ORDER BY k.ord) AS child_columns,
            ARRAY(SELECT pg_catalog.quote_ident(a.attname)
                    FROM pg_catalog.unnest(c.confkey) WITH ORDINALITY AS k(attnum, ord)
                    JOIN pg_catalog.pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum
                   ORDER BY k.ord) AS parent_columns,
            ARRAY(SELECT pg_catalog.format_type(a.atttypid, a.atttypmod)
                    FROM pg_catalog.unnest(c.confkey) WITH ORDINALITY AS k(attnum, ord)
                    JOIN pg_catalog.pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum
                   ORDER BY k.ord) AS parent_types
       FROM pg_catalog.pg_constraint c
       JOIN pg_catalog.pg_class p ON p.oid = c.confrelid
       JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace
      WHERE c.contype = 'f' AND c.conparentid = 0
      ORDER BY c.conrelid, c.conname`,
  );
  const leaves = await leafTables(
    client,
    rows.flatMap((row) => [Number(row.child), Number(row.parent)]),
  );
  const withData = (relation: number) => (leaves.get(relation) ?? []).filter((oid) => dataTables.has(oid));
  const edges: ForeignKeyEdge[] = [];
  for (const row of rows) {
    const childLeaves = withData(Number(row.child));
    const parentLeaves = withData(Number(row.parent));
    if (childLeaves.length === 0 || parentLeaves.length === 0) continue;
    edges.push({
      name: row.name,
      childLeaves,
      parentRelation: Number(row.parent),
      parentFrom: row.parent_from,
      selfReference: row.self_reference,
      parentLeaves,
      childColumns: row.child_columns,
      parentColumns: row.parent_columns,
      parentTypes: row.parent_types,
    });
  }
  return edges;
}

/** For each relation: itself when it holds rows, or the leaf partitions of a partitioned table. */
async function leafTables(client: pg.ClientBase, relations: number[]): Promise<Map<number, number[]>> {
  const { rows } = await client.query<{ relation: string; leaf: string }>(
    `SELECT r.oid::int8 AS relation, r.oid::int8 AS leaf
       FROM pg_catalog.pg_class r WHERE r.oid = ANY($1::pg_catalog.oid[]) AND r.relkind <> 'p'
     UNION ALL
     SELECT r.oid::int8, t.relid::int8
       FROM pg_catalog.pg_class r, LATERAL pg_catalog.pg_partition_tree(r.oid) AS t
      WHERE r.oid = ANY($1::pg_catalog.oid[]) AND r.relkind = 'p' AND t.isleaf`,
    [[...new Set(relations)]],
  );
  const result = new Map<number, number[]>();
  for (const row of rows) {
    const list = result.get(Number(row.relation)) ?? [];
    list.push(Number(row.leaf));
    result.set(Number(row.relation), list);
  }
  return result;
}
