import type { TransactionBatches } from './transaction-batches.js';

const PUBLIC_SCHEMA_OWNER_ROLE_VERSION_NUM = 150000;

const USER_NAMESPACE = `n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'`;

/**
 * Not a member of an extension (it goes with its extension) nor a part of another object that cannot be dropped on
 * its own, not even with CASCADE (deptypes in `deptypes`): a range's constructor functions, an identity sequence.
 */
const standalone = (catalog: string, oid: string, deptypes = `'e'`) =>
  `NOT EXISTS (SELECT 1 FROM pg_depend d
                WHERE d.classid = '${catalog}'::regclass AND d.objid = ${oid} AND d.deptype IN (${deptypes}))`;

/**
 * Database-wide ALTER DEFAULT PRIVILEGES entries (those IN SCHEMA went with their schemas) would change the
 * privileges of every object the pre-data creates. Revoking everything and granting back the built-in defaults
 * (owner: all; PUBLIC: EXECUTE on functions, USAGE on types) makes PostgreSQL delete the entry. Only for roles the
 * restoring user acts for (a member of, as ALTER DEFAULT PRIVILEGES FOR ROLE requires); others are left alone.
 */
const RESET_DEFAULT_PRIVILEGES = `
  WITH entries AS (
    SELECT d.defaclrole, d.defaclacl, r.rolname,
           CASE d.defaclobjtype WHEN 'r' THEN 'TABLES' WHEN 'S' THEN 'SEQUENCES' WHEN 'f' THEN 'FUNCTIONS'
                                WHEN 'T' THEN 'TYPES' WHEN 'n' THEN 'SCHEMAS' END AS objects,
           CASE d.defaclobjtype WHEN 'f' THEN 'EXECUTE' WHEN 'T' THEN 'USAGE' END AS public_right
      FROM pg_default_acl d JOIN pg_roles r ON r.oid = d.defaclrole
     WHERE d.defaclnamespace = 0 AND pg_has_role(d.defaclrole, 'MEMBER'))
  SELECT sql FROM (
    SELECT DISTINCT 0 AS step, format('ALTER DEFAULT PRIVILEGES FOR ROLE %I REVOKE ALL ON %s FROM %s', e.rolname,
                                      e.objects, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(g.rolname) END) AS sql
      FROM entries e CROSS JOIN LATERAL aclexplode(e.defaclacl) a LEFT JOIN pg_roles g ON g.oid = a.grantee
    UNION ALL
    SELECT 1, format('ALTER DEFAULT PRIVILEGES FOR ROLE %I GRANT ALL ON %s TO %I', e.rolname, e.objects, e.rolname)
      FROM entries e
    UNION ALL
    SELECT 2, format('ALTER DEFAULT PRIVILEGES FOR ROLE %I GRANT %s ON %s TO PUBLIC', e.rolname, e.public_right, e.objects)
      FROM entries e WHERE e.public_right IS NOT NULL) AS statements
  ORDER BY step, sql`;

/**
 * Each step lists what is left (the drops before it cascade to some of it) as DROP statements. Relations are
 * dropped one statement each, dependents first (views, then partitions and inheritance children, then the rest),
 * so no single statement's CASCADE locks a large part of the schema; IF EXISTS skips what an earlier CASCADE
 * removed. Sequences left after the tables are free-standing (owned ones went with their tables). Whatever
 * remains (operators, collations, parts of extension objects) is small and goes with its extension or schema.
 */
const STEPS: readonly string[] = [
  // First, so they do not fire on the drops below.
  `SELECT format('DROP EVENT TRIGGER IF EXISTS %I', evtname) FROM pg_event_trigger`,
  `SELECT format('DROP PUBLICATION IF EXISTS %I', pubname) FROM pg_publication`,
  `SELECT format('DROP %s IF EXISTS %I.%I CASCADE',
                 CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                                WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
                 n.nspname, c.relname)
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND ${USER_NAMESPACE} AND ${standalone('pg_class', 'c.oid')}
    ORDER BY c.relkind IN ('v', 'm') DESC, c.relispartition DESC, c.relkind = 'r' DESC, c.oid DESC`,
  `SELECT format('DROP SEQUENCE IF EXISTS %I.%I CASCADE', n.nspname, c.relname)
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind = 'S' AND ${USER_NAMESPACE} AND ${standalone('pg_class', 'c.oid', `'e', 'i', 'a'`)}`,
  // regprocedure prints schema-qualified signatures: restore sessions run with an empty search_path.
  `SELECT format('DROP ROUTINE IF EXISTS %s CASCADE', p.oid::regprocedure)
     FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE ${USER_NAMESPACE} AND ${standalone('pg_proc', 'p.oid', `'e', 'i'`)}
    ORDER BY p.oid DESC`,
  `SELECT format('DROP %s IF EXISTS %I.%I CASCADE', CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END,
                 n.nspname, t.typname)
     FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE ${USER_NAMESPACE} AND ${standalone('pg_type', 't.oid', `'e', 'i'`)}
      AND (t.typtype IN ('e', 'd', 'r')
           OR (t.typtype = 'c' AND (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c'))
    ORDER BY t.oid DESC`,
  `SELECT format('DROP EXTENSION IF EXISTS %I CASCADE', extname) FROM pg_extension WHERE extname <> 'plpgsql'`,
  `SELECT format('DROP SCHEMA IF EXISTS %I CASCADE', n.nspname) FROM pg_namespace n WHERE ${USER_NAMESPACE}`,
  `SELECT format('SELECT pg_catalog.lo_unlink(%s)', oid) FROM pg_largeobject_metadata`,
  RESET_DEFAULT_PRIVILEGES,
];

/**
 * --clean: drops every user object of the target database so the archive's pre-data applies to an empty database
 * (event triggers, publications, relations, sequences, routines, types, extensions but plpgsql, every user schema,
 * large objects, database-wide default privileges), then recreates the public schema as CREATE DATABASE makes it. Runs through the caller's
 * transaction batches, so a large schema is dropped in bounded transactions and a small one in the same
 * transaction as its pre-data.
 */
export async function cleanTarget(batches: TransactionBatches, serverVersionNum: number): Promise<void> {
  for (const step of STEPS) {
    // Listed inside the current transaction, so it sees what the previous steps dropped.
    for (const statement of await batches.list(step)) await batches.run(statement);
  }
  if (serverVersionNum >= PUBLIC_SCHEMA_OWNER_ROLE_VERSION_NUM) {
    await batches.run('CREATE SCHEMA public AUTHORIZATION pg_database_owner');
    await batches.run('GRANT USAGE ON SCHEMA public TO PUBLIC');
  } else {
    await batches.run('CREATE SCHEMA public');
    await batches.run('GRANT ALL ON SCHEMA public TO PUBLIC');
  }
  await batches.run("COMMENT ON SCHEMA public IS 'standard public schema'");
}
