import type { DumpContext } from '../context.js';

/**
 * Object kinds the native dump does not generate. Each one present (and not part of an extension) becomes a
 * warning naming it, so a backup never silently misses something.
 */
const probes: Array<{ kind: string; catalog: string; sql: string; everythingOnly?: boolean }> = [
  {
    kind: 'procedural language',
    catalog: 'pg_language',
    sql: 'SELECT oid, lanname AS name FROM pg_catalog.pg_language WHERE oid >= 16384',
    everythingOnly: true,
  },
  {
    kind: 'operator class',
    catalog: 'pg_opclass',
    sql: 'SELECT oid, opcname AS name FROM pg_catalog.pg_opclass WHERE oid >= 16384 AND opcnamespace = ANY($1)',
  },
  {
    kind: 'operator family',
    catalog: 'pg_opfamily',
    sql: 'SELECT oid, opfname AS name FROM pg_catalog.pg_opfamily WHERE oid >= 16384 AND opfnamespace = ANY($1)',
  },
  {
    kind: 'text search configuration',
    catalog: 'pg_ts_config',
    sql: 'SELECT oid, cfgname AS name FROM pg_catalog.pg_ts_config WHERE oid >= 16384 AND cfgnamespace = ANY($1)',
  },
  {
    kind: 'text search dictionary',
    catalog: 'pg_ts_dict',
    sql: 'SELECT oid, dictname AS name FROM pg_catalog.pg_ts_dict WHERE oid >= 16384 AND dictnamespace = ANY($1)',
  },
  {
    kind: 'text search parser',
    catalog: 'pg_ts_parser',
    sql: 'SELECT oid, prsname AS name FROM pg_catalog.pg_ts_parser WHERE oid >= 16384 AND prsnamespace = ANY($1)',
  },
  {
    kind: 'text search template',
    catalog: 'pg_ts_template',
    sql: 'SELECT oid, tmplname AS name FROM pg_catalog.pg_ts_template WHERE oid >= 16384 AND tmplnamespace = ANY($1)',
  },
  {
    kind: 'conversion',
    catalog: 'pg_conversion',
    sql: 'SELECT oid, conname AS name FROM pg_catalog.pg_conversion WHERE oid >= 16384 AND connamespace = ANY($1)',
  },
  {
    kind: 'access method',
    catalog: 'pg_am',
    sql: 'SELECT oid, amname AS name FROM pg_catalog.pg_am WHERE oid >= 16384',
    everythingOnly: true,
  },
  {
    kind: 'foreign-data wrapper',
    catalog: 'pg_foreign_data_wrapper',
    sql: 'SELECT oid, fdwname AS name FROM pg_catalog.pg_foreign_data_wrapper',
    everythingOnly: true,
  },
  {
    kind: 'foreign server',
    catalog: 'pg_foreign_server',
    sql: 'SELECT oid, srvname AS name FROM pg_catalog.pg_foreign_server',
    everythingOnly: true,
  },
  {
    kind: 'publication',
    catalog: 'pg_publication',
    sql: 'SELECT oid, pubname AS name FROM pg_catalog.pg_publication',
    everythingOnly: true,
  },
  {
    kind: 'transform',
    catalog: 'pg_transform',
    sql: 'SELECT oid, oid::pg_catalog.text AS name FROM pg_catalog.pg_transform WHERE oid >= 16384',
    everythingOnly: true,
  },
  {
    kind: 'security label',
    catalog: 'pg_seclabel',
    sql: "SELECT objoid AS oid, provider || ' on ' || classoid::pg_catalog.regclass::pg_catalog.text AS name FROM pg_catalog.pg_seclabel",
    everythingOnly: true,
  },
];

export async function reportUnsupported(ctx: DumpContext): Promise<void> {
  for (const probe of probes) {
    if (probe.everythingOnly && !ctx.filter.everything) continue;
    const parameters = probe.sql.includes('$1') ? [ctx.dumpedNamespaceOids] : [];
    const rows = await ctx.query<{ oid: number; name: string }>(probe.sql, parameters);
    const names = rows.filter((row) => !ctx.isExtensionMember(probe.catalog, row.oid)).map((row) => row.name);
    if (names.length > 0) {
      ctx.warn(`${probe.kind}${names.length > 1 ? 's' : ''} not dumped (not supported natively): ${names.join(', ')}`);
    }
  }
}
