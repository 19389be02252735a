import type { DumpContext } from '../context.js';
import { catalogKey, Priority } from '../model.js';
import { quoteLiteral } from '../quote.js';

interface FunctionRow {
  oid: number;
  proname: string;
  nspoid: number;
  nspname: string;
  prokind: string;
  owner: string;
  acl: string | null;
  acldefault: string;
  identity_args: string;
  /** Argument types only, for GRANT ... ON FUNCTION of aggregates (no ORDER BY there). */
  plain_args: string;
  nargs: number;
  def: string | null;
}

/**
 * Functions and procedures through pg_get_functiondef(); aggregates through CREATE AGGREGATE built from
 * pg_aggregate, as pg_dump's dumpAgg.
 */
export async function dumpFunctions(ctx: DumpContext): Promise<void> {
  const rows = await ctx.query<FunctionRow>(
    `SELECT p.oid, p.proname, p.pronamespace AS nspoid, n.nspname, p.prokind,
            pg_catalog.pg_get_userbyid(p.proowner) AS owner, p.proacl::pg_catalog.text AS acl,
            pg_catalog.acldefault('f', p.proowner)::pg_catalog.text AS acldefault,
            pg_catalog.pg_get_function_identity_arguments(p.oid) AS identity_args,
            COALESCE((SELECT pg_catalog.string_agg(pg_catalog.format_type(a.t, NULL), ', ' ORDER BY a.ord)
                        FROM pg_catalog.unnest(p.proargtypes::pg_catalog.oid[]) WITH ORDINALITY AS a(t, ord)), '') AS plain_args,
            p.pronargs AS nargs,
            CASE WHEN p.prokind <> 'a' THEN pg_catalog.pg_get_functiondef(p.oid) END AS def
       FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
      WHERE p.oid >= 16384 AND p.pronamespace = ANY($1)
      ORDER BY p.oid`,
    [ctx.dumpedNamespaceOids],
  );
  const functions = rows.filter((row) => !ctx.isImplicit('pg_proc', row.oid));
  const aggregates = await loadAggregates(
    ctx,
    functions.filter((row) => row.prokind === 'a').map((row) => row.oid),
  );

  for (const row of functions) {
    const qualified = ctx.qualify(row.nspname, row.proname);
    const isAggregate = row.prokind === 'a';
    const keyword = isAggregate ? 'AGGREGATE' : row.prokind === 'p' ? 'PROCEDURE' : 'FUNCTION';
    const signature = isAggregate && row.nargs === 0 ? `${qualified}(*)` : `${qualified}(${row.identity_args})`;
    let sql: string;
    if (isAggregate) {
      const aggregate = aggregates.get(row.oid);
      if (!aggregate) continue;
      sql = createAggregateSql(qualified, aggregate);
    } else {
      // pg_get_functiondef says CREATE OR REPLACE; a restore must fail on a clash, not overwrite (as pg_dump).
      sql = `${row.def!.trimEnd().replace(/^CREATE OR REPLACE (FUNCTION|PROCEDURE)/, 'CREATE $1')};\n`;
    }
    sql += ctx.ownerSql(keyword, signature, row.owner);
    sql += ctx.commentSql(`${keyword} ${signature}`, 'pg_proc', row.oid);
    const id = `function:${row.oid}`;
    ctx.add({
      id,
      section: 'pre-data',
      priority: isAggregate ? Priority.aggregate : Priority.function,
      schema: row.nspname,
      name: `${row.proname}(${row.identity_args})`,
      description: `${keyword} ${signature}`,
      render: () => sql,
      contains: [catalogKey('pg_proc', row.oid)],
      after: [`schema:${row.nspoid}`],
    });
    ctx.addAcl({
      objectItemId: id,
      objectId: id,
      type: row.prokind === 'p' ? 'PROCEDURE' : 'FUNCTION',
      name: isAggregate ? `${qualified}(${row.plain_args})` : signature,
      acl: row.acl,
      baseAcl: row.acldefault,
      owner: row.owner,
      description: `${keyword} ${signature}`,
      schema: row.nspname,
      sortName: row.proname,
    });
  }
}

interface AggregateRow {
  oid: number;
  aggkind: string;
  args: string;
  nargs: number;
  transfn: string;
  finalfn: string;
  combinefn: string;
  serialfn: string;
  deserialfn: string;
  mtransfn: string;
  minvtransfn: string;
  mfinalfn: string;
  finalextra: boolean;
  mfinalextra: boolean;
  finalmodify: string;
  mfinalmodify: string;
  sortop: string | null;
  transtype: string;
  transspace: number;
  mtranstype: string | null;
  mtransspace: number;
  initval: string | null;
  minitval: string | null;
  proparallel: string;
}

async function loadAggregates(ctx: DumpContext, oids: number[]): Promise<Map<number, AggregateRow>> {
  const result = new Map<number, AggregateRow>();
  if (oids.length === 0) return result;
  const rows = await ctx.query<AggregateRow>(
    `SELECT a.aggfnoid::pg_catalog.oid AS oid, a.aggkind, pg_catalog.pg_get_function_arguments(p.oid) AS args,
            p.pronargs AS nargs,
            a.aggtransfn::pg_catalog.text AS transfn, a.aggfinalfn::pg_catalog.text AS finalfn,
            a.aggcombinefn::pg_catalog.text AS combinefn, a.aggserialfn::pg_catalog.text AS serialfn,
            a.aggdeserialfn::pg_catalog.text AS deserialfn, a.aggmtransfn::pg_catalog.text AS mtransfn,
            a.aggminvtransfn::pg_catalog.text AS minvtransfn, a.aggmfinalfn::pg_catalog.text AS mfinalfn,
            a.aggfinalextra AS finalextra, a.aggmfinalextra AS mfinalextra,
            a.aggfinalmodify AS finalmodify, a.aggmfinalmodify AS mfinalmodify,
            (SELECT 'OPERATOR(' || pg_catalog.quote_ident(opn.nspname) || '.' || o.oprname || ')'
               FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_namespace opn ON opn.oid = o.oprnamespace
              WHERE o.oid = a.aggsortop) AS sortop,
            pg_catalog.format_type(a.aggtranstype, NULL) AS transtype, a.aggtransspace AS transspace,
            CASE WHEN a.aggmtranstype <> 0 THEN pg_catalog.format_type(a.aggmtranstype, NULL) END AS mtranstype,
            a.aggmtransspace AS mtransspace, a.agginitval AS initval, a.aggminitval AS minitval, p.proparallel
       FROM pg_catalog.pg_aggregate a JOIN pg_catalog.pg_proc p ON p.oid = a.aggfnoid
      WHERE a.aggfnoid = ANY($1::pg_catalog.oid[])`,
    [oids],
  );
  for (const row of rows) result.set(row.oid, row);
  return result;
}

const finalModifyNames: Record<string, string> = { r: 'READ_ONLY', s: 'SHAREABLE', w: 'READ_WRITE' };

function createAggregateSql(qualified: string, agg: AggregateRow): string {
  const defaultModify = agg.aggkind === 'n' ? 'r' : 'w';
  const details: string[] = [`    SFUNC = ${agg.transfn}`, `    STYPE = ${agg.transtype}`];
  if (agg.transspace !== 0) details.push(`    SSPACE = ${agg.transspace}`);
  if (agg.initval !== null) details.push(`    INITCOND = ${quoteLiteral(agg.initval)}`);
  if (agg.finalfn !== '-') {
    details.push(`    FINALFUNC = ${agg.finalfn}`);
    if (agg.finalextra) details.push('    FINALFUNC_EXTRA');
    if (agg.finalmodify !== defaultModify) {
      details.push(`    FINALFUNC_MODIFY = ${finalModifyNames[agg.finalmodify] ?? 'READ_ONLY'}`);
    }
  }
  if (agg.combinefn !== '-') details.push(`    COMBINEFUNC = ${agg.combinefn}`);
  if (agg.serialfn !== '-') details.push(`    SERIALFUNC = ${agg.serialfn}`);
  if (agg.deserialfn !== '-') details.push(`    DESERIALFUNC = ${agg.deserialfn}`);
  if (agg.mtransfn !== '-') {
    details.push(`    MSFUNC = ${agg.mtransfn}`, `    MINVFUNC = ${agg.minvtransfn}`, `    MSTYPE = ${agg.mtranstype}`);
  }
  if (agg.mtransspace !== 0) details.push(`    MSSPACE = ${agg.mtransspace}`);
  if (agg.minitval !== null) details.push(`    MINITCOND = ${quoteLiteral(agg.minitval)}`);
  if (agg.mfinalfn !== '-') {
    details.push(`    MFINALFUNC = ${agg.mfinalfn}`);
    if (agg.mfinalextra) details.push('    MFINALFUNC_EXTRA');
    if (agg.mfinalmodify !== defaultModify) {
      details.push(`    MFINALFUNC_MODIFY = ${finalModifyNames[agg.mfinalmodify] ?? 'READ_ONLY'}`);
    }
  }
  if (agg.sortop !== null) details.push(`    SORTOP = ${agg.sortop}`);
  if (agg.aggkind === 'h') details.push('    HYPOTHETICAL');
  if (agg.proparallel === 's') details.push('    PARALLEL = safe');
  else if (agg.proparallel === 'r') details.push('    PARALLEL = restricted');
  const args = agg.nargs === 0 && agg.aggkind === 'n' ? '*' : agg.args;
  return `CREATE AGGREGATE ${qualified}(${args}) (\n${details.join(',\n')}\n);\n`;
}
