import { count } from '@dbbackup/engine-kit';
import type pg from 'pg';
import type { AccountFacts } from './account.js';

/** What one database's backup needs from the account, found in the catalogs of that database. */
export interface DatabasePrivileges {
  /** Every missing privilege (uncapped), each with the GRANT that fixes it. */
  missing: string[];
  /** How to grant a long list at once, for the line that summarises what is not listed. */
  bulkHint: string;
  warnings: string[];
  /** One line: what was checked and found. */
  detail: string;
}

interface RelationRow {
  name: string;
  schema: string;
  kind: 'r' | 'p' | 'S';
  usage: boolean;
  readable: boolean;
  row_security: boolean;
}

/**
 * The relations a backup reads, as backup/snapshot.ts and the schema dump pick them: it locks every table and
 * partitioned table outside the system schemas IN ACCESS SHARE MODE (which needs SELECT on the table itself, not
 * on its columns, through PostgreSQL 15), COPYs the tables, and reads last_value of every sequence it dumps
 * (SELECT on the sequence; USAGE does not let a session select from it) outside extensions. Views and
 * materialized views are only described (pg_get_viewdef checks nothing; a matview is refreshed on restore), so
 * they need nothing. Qualified names need USAGE on their schema.
 *
 * Row-level security: the backup's COPY runs with row_security on, so a table with RLS enabled silently yields
 * only the rows its policies show, unless the account bypasses RLS (superuser, BYPASSRLS) or owns the table
 * without FORCE ROW LEVEL SECURITY.
 */
const RELATIONS_SQL = `
  SELECT pg_catalog.format('%I.%I', n.nspname, c.relname) AS name, pg_catalog.format('%I', n.nspname) AS schema,
         c.relkind AS kind, pg_catalog.has_schema_privilege(n.oid, 'USAGE') AS usage,
         pg_catalog.has_table_privilege(c.oid, 'SELECT') AS readable,
         (c.relkind <> 'S' AND c.relrowsecurity AND NOT $1::boolean
           AND (c.relforcerowsecurity OR NOT pg_catalog.pg_has_role(c.relowner, 'USAGE'))) AS row_security
    FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
   WHERE c.relpersistence <> 't'
     AND ((c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
           AND n.nspname NOT LIKE 'pg\\_toast%')
       OR (c.relkind = 'S' AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
           AND NOT EXISTS (
             SELECT 1 FROM pg_catalog.pg_depend d
              WHERE d.deptype = 'e' AND d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
                AND ((d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid)
                  OR (d.classid = 'pg_catalog.pg_namespace'::pg_catalog.regclass AND d.objid = n.oid)))))
   ORDER BY c.relkind = 'S', 1`;

/**
 * Large objects are read with lo_get, which needs SELECT on each one (its owner, or a member of the owner, has it)
 * unless lo_compat_privileges is on. pg_largeobject_metadata is readable by everyone; has_largeobject_privilege
 * only exists from PostgreSQL 17, so the ACL is read directly. Only the first few unreadable oids are returned.
 */
const LARGE_OBJECTS_SQL = `
  WITH objects AS (
    SELECT l.oid,
           (pg_catalog.pg_has_role(l.lomowner, 'USAGE') OR EXISTS (
              SELECT 1 FROM pg_catalog.aclexplode(l.lomacl) a
               WHERE a.privilege_type = 'SELECT'
                 AND CASE WHEN a.grantee = 0 THEN true ELSE pg_catalog.pg_has_role(a.grantee, 'USAGE') END)) AS readable
      FROM pg_catalog.pg_largeobject_metadata l)
  SELECT count(*)::int AS total, (count(*) FILTER (WHERE NOT readable))::int AS unreadable,
         ARRAY(SELECT oid::text FROM objects WHERE NOT readable ORDER BY oid LIMIT 3) AS examples
    FROM objects`;

/**
 * Checks, in the connected database, everything its backup reads: USAGE on the schemas, SELECT on the tables and
 * sequences (one catalog query with has_*_privilege), large objects, and rows hidden by row-level security.
 * A superuser reads everything; pg_read_all_data grants the tables, sequences and schemas but neither large
 * objects nor a way past row-level security.
 */
export async function readDatabasePrivileges(
  client: pg.ClientBase,
  database: string,
  account: AccountFacts,
): Promise<DatabasePrivileges> {
  const bulkHint =
    account.versionNum >= 140000
      ? `GRANT pg_read_all_data TO ${account.quoted} covers every table, sequence and schema`
      : `GRANT SELECT ON ALL TABLES IN SCHEMA <schema> TO ${account.quoted} (and ON ALL SEQUENCES) grants a whole schema`;
  if (account.superuser) {
    return {
      missing: [],
      bulkHint,
      warnings: [],
      detail: `superuser: reads every table, sequence and large object of "${database}"`,
    };
  }
  const { rows: relations } = await client.query<RelationRow>(RELATIONS_SQL, [account.bypassRowSecurity]);
  const missing: string[] = [];
  const schemas = new Map<string, boolean>();
  for (const relation of relations) schemas.set(relation.schema, relation.usage);
  for (const [schema, usage] of schemas) {
    if (!usage) missing.push(`USAGE on schema ${schema} (GRANT USAGE ON SCHEMA ${schema} TO ${account.quoted})`);
  }
  for (const relation of relations.filter((candidate) => !candidate.readable)) {
    missing.push(
      relation.kind === 'S'
        ? `SELECT on sequence ${relation.name} (GRANT SELECT ON SEQUENCE ${relation.name} TO ${account.quoted})`
        : `SELECT on ${relation.kind === 'p' ? 'partitioned table' : 'table'} ${relation.name} (GRANT SELECT ON ${relation.name} TO ${account.quoted})`,
    );
  }

  const largeObjects = account.largeObjectCompatibility
    ? undefined
    : (await client.query<{ total: number; unreadable: number; examples: string[] }>(LARGE_OBJECTS_SQL)).rows[0]!;
  if (largeObjects && largeObjects.unreadable > 0) missing.push(largeObjectsMissing(largeObjects, account));

  const warnings: string[] = [];
  const hidden = relations.filter((relation) => relation.row_security).map((relation) => relation.name);
  if (hidden.length > 0) {
    const names = hidden.slice(0, 5).join(', ') + (hidden.length > 5 ? `, and ${hidden.length - 5} more` : '');
    warnings.push(
      `row-level security hides rows of ${count(hidden.length, 'table')} (${names}) from ${account.quoted}: the backup would hold only the rows its policies show; ALTER ROLE ${account.quoted} BYPASSRLS, or back up as a superuser`,
    );
  }

  const tables = relations.filter((relation) => relation.kind !== 'S');
  const sequences = relations.filter((relation) => relation.kind === 'S');
  const readable = (list: RelationRow[]) => list.filter((relation) => relation.readable).length;
  const parts = [
    `CONNECT on "${database}"`,
    `USAGE on ${[...schemas.values()].filter(Boolean).length} of ${count(schemas.size, 'schema')}`,
    `SELECT on ${readable(tables)} of ${count(tables.length, 'table')} and ${readable(sequences)} of ${count(sequences.length, 'sequence')}`,
  ];
  if (account.largeObjectCompatibility) parts.push('large objects readable (lo_compat_privileges)');
  else if (largeObjects && largeObjects.total > 0) {
    parts.push(
      `${largeObjects.total - largeObjects.unreadable} of ${count(largeObjects.total, 'large object')} readable`,
    );
  }
  if (account.readAllData) parts.push('through pg_read_all_data');
  return { missing, bulkHint, warnings, detail: parts.join('; ') };
}

function largeObjectsMissing(largeObjects: { unreadable: number; examples: string[] }, account: AccountFacts): string {
  if (largeObjects.unreadable === 1) {
    const oid = largeObjects.examples[0]!;
    return `SELECT on large object ${oid} (GRANT SELECT ON LARGE OBJECT ${oid} TO ${account.quoted})`;
  }
  const more = largeObjects.unreadable > largeObjects.examples.length ? ', ...' : '';
  return `SELECT on ${largeObjects.unreadable} large objects (${largeObjects.examples.join(', ')}${more}: GRANT SELECT ON LARGE OBJECT <oid> TO ${account.quoted} for each, or have a superuser set lo_compat_privileges = on)`;
}
