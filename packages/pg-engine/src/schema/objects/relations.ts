import type { DumpContext } from '../context.js';
import { catalogKey } from '../model.js';

export interface ColumnInfo {
  attnum: number;
  attname: string;
  typname: string;
  attnotnull: boolean;
  attidentity: string;
  attgenerated: string;
  attislocal: boolean;
  attinhcount: number;
  attstattarget: number;
  attstorage: string;
  typstorage: string;
  attcompression: string;
  attoptions: string | null;
  /** Qualified collation when it differs from the type's default. */
  collation: string | null;
  acl: string | null;
  attrdefOid: number | null;
  defaultExpr: string | null;
}

export interface CheckInfo {
  oid: number;
  conname: string;
  def: string;
  conislocal: boolean;
  convalidated: boolean;
}

export interface RelationInfo {
  oid: number;
  relname: string;
  nspoid: number;
  nspname: string;
  qualified: string;
  relkind: 'r' | 'p' | 'v' | 'm' | 'f';
  unlogged: boolean;
  owner: string;
  acl: string | null;
  acldefault: string;
  relispartition: boolean;
  relispopulated: boolean;
  relreplident: string;
  relrowsecurity: boolean;
  relforcerowsecurity: boolean;
  reloptions: string[] | null;
  checkoption: string | null;
  toastReloptions: string[] | null;
  tablespace: string | null;
  amname: string | null;
  oftype: string | null;
  partkey: string | null;
  partbound: string | null;
  reltype: number;
  ruleOid: number | null;
  viewdef: string | null;
  reltuples: number;
  size: number;
  columns: ColumnInfo[];
  checks: CheckInfo[];
  /** Parents in inhseqno order (for a partition: its partitioned table). */
  parents: number[];
  primaryKey: string[] | null;
  /** Item id of the object that creates the relation. */
  itemId: string;
}

/** Dumped relations by OID, shared by every generator that hangs objects off tables. */
export type RelationIndex = Map<number, RelationInfo>;

interface RelationRow {
  oid: number;
  relname: string;
  nspoid: number;
  nspname: string;
  relkind: RelationInfo['relkind'];
  relpersistence: string;
  owner: string;
  acl: string | null;
  acldefault: string;
  relispartition: boolean;
  relispopulated: boolean;
  relreplident: string;
  relrowsecurity: boolean;
  relforcerowsecurity: boolean;
  reloptions: string[] | null;
  checkoption: string | null;
  toast_reloptions: string[] | null;
  tablespace: string | null;
  amname: string | null;
  oftype: string | null;
  partkey: string | null;
  partbound: string | null;
  reltype: number;
  rule_oid: number | null;
  viewdef: string | null;
  reltuples: number;
  size: string;
}

/**
 * Loads tables, partitioned tables, views, materialized views and foreign tables of the dumped schemas with their
 * columns, CHECK constraints, parents and primary keys. Foreign tables are reported and left out.
 */
export async function loadRelations(ctx: DumpContext): Promise<RelationIndex> {
  const rows = await ctx.query<RelationRow>(
    `SELECT c.oid, c.relname, c.relnamespace AS nspoid, n.nspname, c.relkind, c.relpersistence,
            pg_catalog.pg_get_userbyid(c.relowner) AS owner, c.relacl::pg_catalog.text AS acl,
            pg_catalog.acldefault('r', c.relowner)::pg_catalog.text AS acldefault,
            c.relispartition, c.relispopulated, c.relreplident, c.relrowsecurity, c.relforcerowsecurity,
            pg_catalog.array_remove(pg_catalog.array_remove(c.reloptions, 'check_option=local'), 'check_option=cascaded') AS reloptions,
            CASE WHEN 'check_option=local' = ANY (c.reloptions) THEN 'LOCAL'
                 WHEN 'check_option=cascaded' = ANY (c.reloptions) THEN 'CASCADED' END AS checkoption,
            tc.reloptions AS toast_reloptions, ts.spcname AS tablespace, am.amname,
            CASE WHEN c.reloftype <> 0 THEN pg_catalog.format_type(c.reloftype, NULL) END AS oftype,
            CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END AS partkey,
            CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END AS partbound,
            c.reltype,
            (SELECT r.oid FROM pg_catalog.pg_rewrite r WHERE r.ev_class = c.oid AND r.rulename = '_RETURN') AS rule_oid,
            CASE WHEN c.relkind IN ('v', 'm') THEN pg_catalog.pg_get_viewdef(c.oid) END AS viewdef,
            c.reltuples::pg_catalog.float8 AS reltuples,
            CASE WHEN c.relkind IN ('r', 'm')
                 THEN (c.relpages::pg_catalog.int8 + COALESCE(tc.relpages, 0))
                      * pg_catalog.current_setting('block_size')::pg_catalog.int8
                 ELSE 0 END AS size
       FROM pg_catalog.pg_class c
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_catalog.pg_class tc ON tc.oid = c.reltoastrelid
       LEFT JOIN pg_catalog.pg_tablespace ts ON ts.oid = c.reltablespace
       LEFT JOIN pg_catalog.pg_am am ON am.oid = c.relam
      WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND c.relnamespace = ANY($1)
      ORDER BY c.oid`,
    [ctx.dumpedNamespaceOids],
  );
  const relations: RelationIndex = new Map();
  for (const row of rows) {
    if (ctx.isExtensionMember('pg_class', row.oid)) continue;
    if (!ctx.filter.relationIncluded(row.nspname, row.relname)) {
      ctx.excluded.add(catalogKey('pg_class', row.oid));
      ctx.excluded.add(catalogKey('pg_type', row.reltype));
      continue;
    }
    const qualified = ctx.qualify(row.nspname, row.relname);
    if (row.relkind === 'f') {
      ctx.warn(`foreign table ${qualified} is not dumped (foreign data wrappers are not supported)`);
      continue;
    }
    relations.set(row.oid, {
      oid: row.oid,
      relname: row.relname,
      nspoid: row.nspoid,
      nspname: row.nspname,
      qualified,
      relkind: row.relkind,
      unlogged: row.relpersistence === 'u',
      owner: row.owner,
      acl: row.acl,
      acldefault: row.acldefault,
      relispartition: row.relispartition,
      relispopulated: row.relispopulated,
      relreplident: row.relreplident,
      relrowsecurity: row.relrowsecurity,
      relforcerowsecurity: row.relforcerowsecurity,
      reloptions: row.reloptions?.length ? row.reloptions : null,
      checkoption: row.checkoption,
      toastReloptions: row.toast_reloptions?.length ? row.toast_reloptions : null,
      tablespace: row.tablespace,
      amname: row.amname,
      oftype: row.oftype,
      partkey: row.partkey,
      partbound: row.partbound,
      reltype: row.reltype,
      ruleOid: row.rule_oid,
      viewdef: row.viewdef,
      reltuples: Math.max(0, row.reltuples),
      size: Number(row.size),
      columns: [],
      checks: [],
      parents: [],
      primaryKey: null,
      itemId: `relation:${row.oid}`,
    });
  }
  const oids = [...relations.keys()];
  if (oids.length === 0) return relations;
  await loadColumns(ctx, relations, oids);
  await loadChecks(ctx, relations, oids);
  await loadParents(ctx, relations, oids);
  await loadPrimaryKeys(ctx, relations, oids);
  return relations;
}

async function loadColumns(ctx: DumpContext, relations: RelationIndex, oids: number[]): Promise<void> {
  const compression = ctx.version >= 140000 ? 'a.attcompression::pg_catalog.text' : "''::pg_catalog.text";
  const rows = await ctx.query<
    Omit<ColumnInfo, 'collation' | 'attrdefOid' | 'defaultExpr'> & {
      attrelid: number;
      collnsp: string | null;
      collname: string | null;
      attrdef_oid: number | null;
      default_expr: string | null;
    }
  >(
    `SELECT a.attrelid, a.attnum, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod) AS typname,
            a.attnotnull, a.attidentity, a.attgenerated, a.attislocal, a.attinhcount,
            CASE WHEN a.attstattarget >= 0 THEN a.attstattarget ELSE -1 END AS attstattarget,
            a.attstorage, t.typstorage, ${compression} AS attcompression,
            pg_catalog.array_to_string(ARRAY(SELECT o FROM pg_catalog.unnest(a.attoptions) AS o
                                              WHERE o NOT LIKE 'pg\\_%'), ', ') AS attoptions,
            cn.nspname AS collnsp, co.collname, a.attacl::pg_catalog.text AS acl,
            ad.oid AS attrdef_oid, pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) AS default_expr
       FROM pg_catalog.pg_attribute a
       JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
       LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation AND a.attcollation <> t.typcollation
       LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
       LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
      WHERE a.attrelid = ANY($1) AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attrelid, a.attnum`,
    [oids],
  );
  for (const row of rows) {
    const { attrelid, collnsp, collname, attrdef_oid, default_expr, ...column } = row;
    relations.get(attrelid)!.columns.push({
      ...column,
      attoptions: column.attoptions === '' ? null : column.attoptions,
      collation: collname === null ? null : ctx.qualify(collnsp!, collname),
      attrdefOid: attrdef_oid,
      defaultExpr: default_expr,
    });
  }
}

async function loadChecks(ctx: DumpContext, relations: RelationIndex, oids: number[]): Promise<void> {
  const rows = await ctx.query<CheckInfo & { conrelid: number }>(
    `SELECT oid, conrelid, conname, pg_catalog.pg_get_constraintdef(oid) AS def, conislocal, convalidated
       FROM pg_catalog.pg_constraint
      WHERE conrelid = ANY($1) AND contype = 'c'
      ORDER BY conrelid, conname`,
    [oids],
  );
  for (const { conrelid, ...check } of rows) relations.get(conrelid)!.checks.push(check);
}

async function loadParents(ctx: DumpContext, relations: RelationIndex, oids: number[]): Promise<void> {
  const rows = await ctx.query<{ inhrelid: number; inhparent: number }>(
    'SELECT inhrelid, inhparent FROM pg_catalog.pg_inherits WHERE inhrelid = ANY($1) ORDER BY inhrelid, inhseqno',
    [oids],
  );
  for (const row of rows) relations.get(row.inhrelid)!.parents.push(row.inhparent);
}

async function loadPrimaryKeys(ctx: DumpContext, relations: RelationIndex, oids: number[]): Promise<void> {
  const rows = await ctx.query<{ indrelid: number; columns: string[] }>(
    `SELECT i.indrelid, pg_catalog.array_agg(a.attname::pg_catalog.text ORDER BY k.ord) AS columns
       FROM pg_catalog.pg_index i
       CROSS JOIN LATERAL pg_catalog.unnest(i.indkey::pg_catalog.int2[]) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
      WHERE i.indisprimary AND i.indrelid = ANY($1) AND k.ord <= i.indnkeyatts
      GROUP BY i.indrelid`,
    [oids],
  );
  for (const row of rows) relations.get(row.indrelid)!.primaryKey = row.columns;
}

/** `WITH (...)` contents: bare values when they read as identifiers, string literals otherwise (pg_dump's rule). */
export function reloptionsSql(ctx: DumpContext, options: string[], prefix: string): string[] {
  return options.map((option) => {
    const equals = option.indexOf('=');
    const name = equals < 0 ? option : option.slice(0, equals);
    const value = equals < 0 ? '' : option.slice(equals + 1);
    const rendered = ctx.ident(value) === value ? value : `'${value.replaceAll("'", "''")}'`;
    return `${prefix}${ctx.ident(name)}=${rendered}`;
  });
}
