import type pg from 'pg';

const USER_NAMESPACE = `n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'`;

export interface TargetContents {
  tables: number;
  /** Tables, views, sequences, functions, types, extra schemas, extensions and large objects. */
  objects: number;
}

/** What a restore would collide with in an existing database. */
export async function describeTargetContents(client: pg.Client): Promise<TargetContents> {
  const result = await client.query<{ tables: string; objects: string }>(
    `SELECT
       (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind IN ('r', 'p') AND ${USER_NAMESPACE}) AS tables,
       (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND ${USER_NAMESPACE})
       + (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
           WHERE ${USER_NAMESPACE}
             AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e'))
       + (SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
           WHERE ${USER_NAMESPACE} AND t.typtype IN ('e', 'd', 'r', 'm')
             AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = t.oid AND d.deptype = 'e'))
       + (SELECT count(*) FROM pg_namespace n WHERE ${USER_NAMESPACE} AND n.nspname <> 'public')
       + (SELECT count(*) FROM pg_extension WHERE extname <> 'plpgsql')
       + (SELECT count(*) FROM pg_largeobject_metadata) AS objects`,
  );
  const row = result.rows[0]!;
  return { tables: Number(row.tables), objects: Number(row.objects) };
}
