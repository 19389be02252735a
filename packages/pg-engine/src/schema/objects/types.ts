import type { DumpContext } from '../context.js';
import { catalogKey, type DumpItem, Priority } from '../model.js';
import { quoteLiteral } from '../quote.js';

interface TypeRow {
  oid: number;
  typname: string;
  nspoid: number;
  nspname: string;
  typtype: string;
  typrelid: number;
  owner: string;
  acl: string | null;
  acldefault: string;
}

/**
 * User-defined types: enums, composites, ranges and domains. Row types of tables, array types and multiranges are
 * created implicitly and skipped; base types (C input/output functions) are reported as unsupported.
 */
export async function dumpTypes(ctx: DumpContext): Promise<void> {
  const rows = await ctx.query<TypeRow>(
    `SELECT t.oid, t.typname, t.typnamespace AS nspoid, n.nspname, t.typtype, t.typrelid,
            pg_catalog.pg_get_userbyid(t.typowner) AS owner, t.typacl::pg_catalog.text AS acl,
            pg_catalog.acldefault('T', t.typowner)::pg_catalog.text AS acldefault
       FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
      WHERE t.oid >= 16384 AND t.typnamespace = ANY($1)
        AND t.typtype IN ('b', 'c', 'd', 'e', 'r', 'p')
        AND (t.typrelid = 0 OR (SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid = t.typrelid) = 'c')
        AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type e WHERE e.typarray = t.oid)
      ORDER BY t.oid`,
    [ctx.dumpedNamespaceOids],
  );
  const types = rows.filter((row) => !ctx.isExtensionMember('pg_type', row.oid));
  const oidsOf = (kind: string) => types.filter((row) => row.typtype === kind).map((row) => row.oid);

  const enumLabels = await loadEnumLabels(ctx, oidsOf('e'));
  const compositeColumns = await loadCompositeColumns(
    ctx,
    types.filter((row) => row.typtype === 'c').map((row) => row.typrelid),
  );
  const ranges = await loadRanges(ctx, oidsOf('r'));
  const domains = await loadDomains(ctx, oidsOf('d'));
  const domainChecks = await loadDomainChecks(ctx, oidsOf('d'));

  for (const row of types) {
    const qualified = ctx.qualify(row.nspname, row.typname);
    const id = `type:${row.oid}`;
    const contains = [catalogKey('pg_type', row.oid)];
    let keyword = 'TYPE';
    let body: () => string;
    const extra: Partial<DumpItem> = {};
    let comments = '';
    if (row.typtype === 'e') {
      const labels = (enumLabels.get(row.oid) ?? []).map((label) => `    ${quoteLiteral(label)}`);
      const text = labels.length
        ? `CREATE TYPE ${qualified} AS ENUM (\n${labels.join(',\n')}\n);\n`
        : `CREATE TYPE ${qualified} AS ENUM (\n);\n`;
      body = () => text;
    } else if (row.typtype === 'c') {
      contains.push(catalogKey('pg_class', row.typrelid));
      const columns = compositeColumns.get(row.typrelid) ?? [];
      const text = `CREATE TYPE ${qualified} AS (\n${columns
        .map((col) => `    ${ctx.ident(col.attname)} ${col.typname}${col.collation ? ` COLLATE ${col.collation}` : ''}`)
        .join(',\n')}\n);\n`;
      body = () => text;
      for (const col of columns) {
        comments += ctx.commentSql(
          `COLUMN ${qualified}.${ctx.ident(col.attname)}`,
          'pg_class',
          row.typrelid,
          col.attnum,
        );
      }
    } else if (row.typtype === 'r') {
      const range = ranges.get(row.oid);
      if (!range) continue;
      let text = `CREATE TYPE ${qualified} AS RANGE (\n    subtype = ${range.subtype}`;
      if (range.multirange) text += `,\n    multirange_type_name = ${range.multirange}`;
      if (!range.opcdefault) text += `,\n    subtype_opclass = ${ctx.qualify(range.opcnsp, range.opcname)}`;
      if (range.collation) text += `,\n    collation = ${range.collation}`;
      if (range.canonical !== '-') text += `,\n    canonical = ${range.canonical}`;
      if (range.subdiff !== '-') text += `,\n    subtype_diff = ${range.subdiff}`;
      text += '\n);\n';
      body = () => text;
    } else if (row.typtype === 'd') {
      keyword = 'DOMAIN';
      const domain = domains.get(row.oid);
      if (!domain) continue;
      const checks = domainChecks.get(row.oid) ?? [];
      const inline = new Set(checks.filter((check) => check.convalidated).map((check) => check.oid));
      for (const check of checks) if (inline.has(check.oid)) contains.push(catalogKey('pg_constraint', check.oid));
      body = () => {
        let text = `CREATE DOMAIN ${qualified} AS ${domain.basetype}`;
        if (domain.collation) text += ` COLLATE ${domain.collation}`;
        if (domain.typnotnull) text += ' NOT NULL';
        if (domain.typdefault !== null) text += ` DEFAULT ${domain.typdefault}`;
        for (const check of checks) {
          if (inline.has(check.oid)) text += `\n\tCONSTRAINT ${ctx.ident(check.conname)} ${check.def}`;
        }
        return `${text};\n`;
      };
      for (const check of checks) {
        const target = `CONSTRAINT ${ctx.ident(check.conname)} ON DOMAIN ${qualified}`;
        if (!check.convalidated) {
          ctx.add(separateDomainCheckItem(ctx, row, qualified, check, 'post-data'));
          continue;
        }
        comments += ctx.commentSql(target, 'pg_constraint', check.oid);
      }
      // A CHECK that calls a function taking the domain is split out to break the loop (pg_dump does the same).
      extra.splits = checks
        .filter((check) => check.convalidated)
        .map((check) => ({
          keys: [catalogKey('pg_constraint', check.oid)],
          apply: () => {
            inline.delete(check.oid);
            const index = contains.indexOf(catalogKey('pg_constraint', check.oid));
            if (index >= 0) contains.splice(index, 1);
            return [separateDomainCheckItem(ctx, row, qualified, check, 'pre-data')];
          },
        }));
    } else {
      ctx.warn(
        `type ${qualified} is a base or shell type (C input/output functions); it is not dumped, create it before restoring`,
      );
      continue;
    }
    const tail =
      ctx.ownerSql(keyword, qualified, row.owner) +
      ctx.commentSql(`${keyword} ${qualified}`, 'pg_type', row.oid) +
      comments;
    ctx.add({
      id,
      section: 'pre-data',
      priority: Priority.type,
      schema: row.nspname,
      name: row.typname,
      description: `${keyword} ${qualified}`,
      render: () => body() + tail,
      contains,
      after: [`schema:${row.nspoid}`],
      ...extra,
    });
    ctx.addAcl({
      objectItemId: id,
      objectId: id,
      type: 'TYPE',
      name: qualified,
      acl: row.acl,
      baseAcl: row.acldefault,
      owner: row.owner,
      description: `${keyword} ${qualified}`,
      schema: row.nspname,
      sortName: row.typname,
    });
  }
}

interface DomainCheck {
  oid: number;
  contypid: number;
  conname: string;
  def: string;
  convalidated: boolean;
}

function separateDomainCheckItem(
  ctx: DumpContext,
  row: TypeRow,
  qualified: string,
  check: DomainCheck,
  section: 'pre-data' | 'post-data',
): DumpItem {
  const name = ctx.ident(check.conname);
  const sql =
    `ALTER DOMAIN ${qualified} ADD CONSTRAINT ${name} ${check.def};\n` +
    ctx.commentSql(`CONSTRAINT ${name} ON DOMAIN ${qualified}`, 'pg_constraint', check.oid);
  return {
    id: `domain-check:${check.oid}`,
    section,
    priority: section === 'pre-data' ? Priority.dummyType : Priority.constraint,
    schema: row.nspname,
    name: check.conname,
    description: `CONSTRAINT ${name} ON DOMAIN ${qualified}`,
    render: () => sql,
    contains: [catalogKey('pg_constraint', check.oid)],
    after: [`type:${row.oid}`],
    kind: 'constraint',
  };
}

async function loadEnumLabels(ctx: DumpContext, oids: number[]): Promise<Map<number, string[]>> {
  const labels = new Map<number, string[]>();
  if (oids.length === 0) return labels;
  const rows = await ctx.query<{ enumtypid: number; enumlabel: string }>(
    'SELECT enumtypid, enumlabel FROM pg_catalog.pg_enum WHERE enumtypid = ANY($1) ORDER BY enumtypid, enumsortorder',
    [oids],
  );
  for (const row of rows) {
    const list = labels.get(row.enumtypid);
    if (list) list.push(row.enumlabel);
    else labels.set(row.enumtypid, [row.enumlabel]);
  }
  return labels;
}

interface CompositeColumn {
  attnum: number;
  attname: string;
  typname: string;
  collation: string | null;
}

async function loadCompositeColumns(ctx: DumpContext, relids: number[]): Promise<Map<number, CompositeColumn[]>> {
  const columns = new Map<number, CompositeColumn[]>();
  if (relids.length === 0) return columns;
  const rows = await ctx.query<CompositeColumn & { attrelid: number; collnsp: string | null; collname: string | null }>(
    `SELECT a.attrelid, a.attnum, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod) AS typname,
            cn.nspname AS collnsp, co.collname
       FROM pg_catalog.pg_attribute a
       JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
       LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation AND a.attcollation <> t.typcollation
       LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
      WHERE a.attrelid = ANY($1) AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attrelid, a.attnum`,
    [relids],
  );
  for (const row of rows) {
    const column: CompositeColumn = {
      attnum: row.attnum,
      attname: row.attname,
      typname: row.typname,
      collation: row.collname === null ? null : ctx.qualify(row.collnsp!, row.collname),
    };
    const list = columns.get(row.attrelid);
    if (list) list.push(column);
    else columns.set(row.attrelid, [column]);
  }
  return columns;
}

interface RangeInfo {
  subtype: string;
  multirange: string | null;
  opcname: string;
  opcnsp: string;
  opcdefault: boolean;
  collation: string | null;
  canonical: string;
  subdiff: string;
}

async function loadRanges(ctx: DumpContext, oids: number[]): Promise<Map<number, RangeInfo>> {
  const ranges = new Map<number, RangeInfo>();
  if (oids.length === 0) return ranges;
  const multirange =
    ctx.version >= 140000
      ? `(SELECT pg_catalog.quote_ident(mn.nspname) || '.' || pg_catalog.quote_ident(mt.typname)
            FROM pg_catalog.pg_type mt JOIN pg_catalog.pg_namespace mn ON mn.oid = mt.typnamespace
           WHERE mt.oid = r.rngmultitypid)`
      : 'NULL::pg_catalog.text';
  const rows = await ctx.query<RangeInfo & { rngtypid: number; collnsp: string | null; collname: string | null }>(
    `SELECT r.rngtypid, pg_catalog.format_type(r.rngsubtype, NULL) AS subtype, ${multirange} AS multirange,
            opc.opcname, opcn.nspname AS opcnsp, opc.opcdefault,
            cn.nspname AS collnsp, co.collname,
            r.rngcanonical::pg_catalog.text AS canonical, r.rngsubdiff::pg_catalog.text AS subdiff
       FROM pg_catalog.pg_range r
       JOIN pg_catalog.pg_type st ON st.oid = r.rngsubtype
       JOIN pg_catalog.pg_opclass opc ON opc.oid = r.rngsubopc
       JOIN pg_catalog.pg_namespace opcn ON opcn.oid = opc.opcnamespace
       LEFT JOIN pg_catalog.pg_collation co ON co.oid = r.rngcollation AND r.rngcollation <> st.typcollation
       LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
      WHERE r.rngtypid = ANY($1)`,
    [oids],
  );
  for (const row of rows) {
    ranges.set(row.rngtypid, {
      ...row,
      collation: row.collname === null ? null : ctx.qualify(row.collnsp!, row.collname),
    });
  }
  return ranges;
}

interface DomainInfo {
  basetype: string;
  typnotnull: boolean;
  typdefault: string | null;
  collation: string | null;
}

async function loadDomains(ctx: DumpContext, oids: number[]): Promise<Map<number, DomainInfo>> {
  const domains = new Map<number, DomainInfo>();
  if (oids.length === 0) return domains;
  const rows = await ctx.query<{
    oid: number;
    basetype: string;
    typnotnull: boolean;
    typdefault: string | null;
    collnsp: string | null;
    collname: string | null;
  }>(
    `SELECT t.oid, pg_catalog.format_type(t.typbasetype, t.typtypmod) AS basetype, t.typnotnull,
            CASE WHEN t.typdefaultbin IS NOT NULL
                 THEN pg_catalog.pg_get_expr(t.typdefaultbin, 'pg_catalog.pg_type'::pg_catalog.regclass)
                 ELSE t.typdefault END AS typdefault,
            cn.nspname AS collnsp, co.collname
       FROM pg_catalog.pg_type t
       JOIN pg_catalog.pg_type u ON u.oid = t.typbasetype
       LEFT JOIN pg_catalog.pg_collation co ON co.oid = t.typcollation AND t.typcollation <> u.typcollation
       LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
      WHERE t.oid = ANY($1)`,
    [oids],
  );
  for (const row of rows) {
    domains.set(row.oid, {
      basetype: row.basetype,
      typnotnull: row.typnotnull,
      typdefault: row.typdefault,
      collation: row.collname === null ? null : ctx.qualify(row.collnsp!, row.collname),
    });
  }
  return domains;
}

async function loadDomainChecks(ctx: DumpContext, oids: number[]): Promise<Map<number, DomainCheck[]>> {
  const checks = new Map<number, DomainCheck[]>();
  if (oids.length === 0) return checks;
  const rows = await ctx.query<DomainCheck>(
    `SELECT oid, contypid, conname, pg_catalog.pg_get_constraintdef(oid) AS def, convalidated
       FROM pg_catalog.pg_constraint WHERE contypid = ANY($1) AND contype = 'c' ORDER BY conname`,
    [oids],
  );
  for (const row of rows) {
    const list = checks.get(row.contypid);
    if (list) list.push(row);
    else checks.set(row.contypid, [row]);
  }
  return checks;
}
