import type { DumpContext } from '../context.js';
import { catalogKey, Priority } from '../model.js';

interface OperatorRow {
  oid: number;
  oprname: string;
  nspoid: number;
  nspname: string;
  owner: string;
  oprkind: string;
  code: string;
  leftarg: string | null;
  rightarg: string | null;
  commutator: string | null;
  negator: string | null;
  restrict: string;
  join: string;
  oprcanmerge: boolean;
  oprcanhash: boolean;
}

/**
 * CREATE OPERATOR with its function, argument types, commutator/negator, selectivity estimators and
 * MERGES/HASHES. A commutator that does not exist yet is created as a shell and filled in later, as in pg_dump.
 */
export async function dumpOperators(ctx: DumpContext): Promise<void> {
  const operatorRef = (column: string) =>
    `(SELECT 'OPERATOR(' || pg_catalog.quote_ident(xn.nspname) || '.' || x.oprname || ')'
        FROM pg_catalog.pg_operator x JOIN pg_catalog.pg_namespace xn ON xn.oid = x.oprnamespace
       WHERE x.oid = o.${column})`;
  const rows = await ctx.query<OperatorRow>(
    `SELECT o.oid, o.oprname, o.oprnamespace AS nspoid, n.nspname,
            pg_catalog.pg_get_userbyid(o.oprowner) AS owner, o.oprkind, o.oprcode::pg_catalog.text AS code,
            CASE WHEN o.oprleft <> 0 THEN pg_catalog.format_type(o.oprleft, NULL) END AS leftarg,
            CASE WHEN o.oprright <> 0 THEN pg_catalog.format_type(o.oprright, NULL) END AS rightarg,
            ${operatorRef('oprcom')} AS commutator, ${operatorRef('oprnegate')} AS negator,
            o.oprrest::pg_catalog.text AS restrict, o.oprjoin::pg_catalog.text AS join,
            o.oprcanmerge, o.oprcanhash
       FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace
      WHERE o.oid >= 16384 AND o.oprnamespace = ANY($1)
      ORDER BY o.oid`,
    [ctx.dumpedNamespaceOids],
  );
  for (const row of rows) {
    if (ctx.isImplicit('pg_operator', row.oid)) continue;
    const qualified = `${ctx.ident(row.nspname)}.${row.oprname}`;
    const signature = `${qualified} (${row.leftarg ?? 'NONE'}, ${row.rightarg ?? 'NONE'})`;
    if (row.code === '-') {
      ctx.warn(`operator ${signature} is a shell without a function; it is not dumped`);
      continue;
    }
    const details = [`    FUNCTION = ${row.code}`];
    if (row.leftarg !== null) details.push(`    LEFTARG = ${row.leftarg}`);
    if (row.rightarg !== null) details.push(`    RIGHTARG = ${row.rightarg}`);
    if (row.commutator !== null) details.push(`    COMMUTATOR = ${row.commutator}`);
    if (row.negator !== null) details.push(`    NEGATOR = ${row.negator}`);
    if (row.oprcanmerge) details.push('    MERGES');
    if (row.oprcanhash) details.push('    HASHES');
    if (row.restrict !== '-') details.push(`    RESTRICT = ${row.restrict}`);
    if (row.join !== '-') details.push(`    JOIN = ${row.join}`);
    const sql =
      `CREATE OPERATOR ${qualified} (\n${details.join(',\n')}\n);\n` +
      ctx.ownerSql('OPERATOR', signature, row.owner) +
      ctx.commentSql(`OPERATOR ${signature}`, 'pg_operator', row.oid);
    ctx.add({
      id: `operator:${row.oid}`,
      section: 'pre-data',
      priority: Priority.operator,
      schema: row.nspname,
      name: row.oprname,
      description: `OPERATOR ${signature}`,
      render: () => sql,
      contains: [catalogKey('pg_operator', row.oid)],
      after: [`schema:${row.nspoid}`],
    });
  }
}
