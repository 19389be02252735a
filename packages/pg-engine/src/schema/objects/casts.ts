import type { DumpContext } from '../context.js';
import { catalogKey, Priority } from '../model.js';

/** User-defined casts (OID past the built-in range), only when the whole database is dumped, as pg_dump does. */
export async function dumpCasts(ctx: DumpContext): Promise<void> {
  if (!ctx.filter.everything) return;
  const rows = await ctx.query<{
    oid: number;
    source: string;
    target: string;
    castcontext: string;
    castmethod: string;
    func: string | null;
  }>(
    `SELECT c.oid, pg_catalog.format_type(c.castsource, NULL) AS source,
            pg_catalog.format_type(c.casttarget, NULL) AS target, c.castcontext, c.castmethod,
            (SELECT pg_catalog.quote_ident(fn.nspname) || '.' || pg_catalog.quote_ident(f.proname) || '(' ||
                    COALESCE((SELECT pg_catalog.string_agg(pg_catalog.format_type(a.t, NULL), ', ' ORDER BY a.ord)
                                FROM pg_catalog.unnest(f.proargtypes::pg_catalog.oid[]) WITH ORDINALITY AS a(t, ord)), '')
                    || ')'
               FROM pg_catalog.pg_proc f JOIN pg_catalog.pg_namespace fn ON fn.oid = f.pronamespace
              WHERE f.oid = c.castfunc) AS func
       FROM pg_catalog.pg_cast c
      WHERE c.oid >= 16384
      ORDER BY c.oid`,
  );
  for (const row of rows) {
    if (ctx.isImplicit('pg_cast', row.oid)) continue;
    const target = `(${row.source} AS ${row.target})`;
    let sql = `CREATE CAST ${target} `;
    if (row.castmethod === 'b') sql += 'WITHOUT FUNCTION';
    else if (row.castmethod === 'i') sql += 'WITH INOUT';
    else sql += `WITH FUNCTION ${row.func}`;
    if (row.castcontext === 'a') sql += ' AS ASSIGNMENT';
    else if (row.castcontext === 'i') sql += ' AS IMPLICIT';
    sql += ';\n';
    sql += ctx.commentSql(`CAST ${target}`, 'pg_cast', row.oid);
    ctx.add({
      id: `cast:${row.oid}`,
      section: 'pre-data',
      priority: Priority.cast,
      schema: '',
      name: `${row.source} AS ${row.target}`,
      description: `CAST ${target}`,
      render: () => sql,
      contains: [catalogKey('pg_cast', row.oid)],
      after: [],
    });
  }
}
