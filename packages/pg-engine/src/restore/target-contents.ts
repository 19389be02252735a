import type pg from 'pg';

const USER_NAMESPACE = `n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'`;

/** Not created by an extension (those go and come with their extension). */
const notExtensionMember = (catalog: string, oid: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '${catalog}'::regclass AND d.objid = ${oid} AND d.deptype = 'e')`;

const relations = (kinds: string) =>
  `(SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN (${kinds}) AND ${USER_NAMESPACE} AND ${notExtensionMember('pg_class', 'c.oid')})`;

/**
 * Each kind of user object a restore could collide with (or that would interfere with it, like an event trigger
 * firing on the restore's DDL), in the order a summary lists them, with singular and plural words.
 */
const KINDS = {
  tables: { words: ['table', 'tables'], sql: relations(`'r', 'p'`) },
  views: { words: ['view', 'views'], sql: relations(`'v'`) },
  materializedViews: { words: ['materialized view', 'materialized views'], sql: relations(`'m'`) },
  foreignTables: { words: ['foreign table', 'foreign tables'], sql: relations(`'f'`) },
  sequences: { words: ['sequence', 'sequences'], sql: relations(`'S'`) },
  functions: {
    words: ['function', 'functions'],
    sql: `(SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE ${USER_NAMESPACE} AND ${notExtensionMember('pg_proc', 'p.oid')})`,
  },
  types: {
    words: ['type', 'types'],
    // Enums, domains, ranges, base types (not array types) and standalone composite types; a range's multirange
    // and a table's row type come with them.
    sql: `(SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE ${USER_NAMESPACE} AND ${notExtensionMember('pg_type', 't.oid')}
              AND (t.typtype IN ('e', 'd', 'r')
                   OR (t.typtype = 'b' AND NOT EXISTS (SELECT 1 FROM pg_type e WHERE e.typarray = t.oid))
                   OR (t.typtype = 'c' AND (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c')))`,
  },
  collations: {
    words: ['collation', 'collations'],
    sql: `(SELECT count(*) FROM pg_collation o JOIN pg_namespace n ON n.oid = o.collnamespace
            WHERE ${USER_NAMESPACE} AND ${notExtensionMember('pg_collation', 'o.oid')})`,
  },
  schemas: {
    words: ['schema', 'schemas'],
    sql: `(SELECT count(*) FROM pg_namespace n
            WHERE ${USER_NAMESPACE} AND n.nspname <> 'public' AND ${notExtensionMember('pg_namespace', 'n.oid')})`,
  },
  extensions: {
    words: ['extension', 'extensions'],
    sql: `(SELECT count(*) FROM pg_extension WHERE extname <> 'plpgsql')`,
  },
  eventTriggers: { words: ['event trigger', 'event triggers'], sql: '(SELECT count(*) FROM pg_event_trigger)' },
  publications: { words: ['publication', 'publications'], sql: '(SELECT count(*) FROM pg_publication)' },
  largeObjects: { words: ['large object', 'large objects'], sql: '(SELECT count(*) FROM pg_largeobject_metadata)' },
} as const;

export type ObjectKind = keyof typeof KINDS;

export interface TargetContents {
  /** Counts of the kinds present (zero counts left out). */
  objects: Partial<Record<ObjectKind, number>>;
  totalObjects: number;
  /** "12 tables, 3 views, 1 function", or "no objects". */
  summary: string;
}

/** What a restore would collide with in the database `client` is connected to. */
export async function describeTargetContents(client: pg.Client): Promise<TargetContents> {
  const names = Object.keys(KINDS) as ObjectKind[];
  const select = names.map((name) => `${KINDS[name].sql}::int AS "${name}"`).join(',\n');
  const { rows } = await client.query<Record<ObjectKind, number>>(`SELECT ${select}`);
  const objects: Partial<Record<ObjectKind, number>> = {};
  for (const name of names) {
    const count = rows[0]![name];
    if (count > 0) objects[name] = count;
  }
  return { objects, totalObjects: sumCounts(objects), summary: summarizeCounts(objects) };
}

function sumCounts(objects: Partial<Record<ObjectKind, number>>): number {
  return Object.values(objects).reduce((sum, count) => sum + count, 0);
}

export function summarizeCounts(objects: Partial<Record<ObjectKind, number>>): string {
  const parts = (Object.keys(KINDS) as ObjectKind[])
    .filter((name) => (objects[name] ?? 0) > 0)
    .map((name) => {
      const count = objects[name]!;
      return `${count} ${KINDS[name].words[count === 1 ? 0 : 1]}`;
    });
  return parts.length > 0 ? parts.join(', ') : 'no objects';
}
