import type { DumpContext } from '../context.js';
import { catalogKey, Priority } from '../model.js';
import type { RelationIndex } from './relations.js';

const commandClause: Record<string, string> = {
  r: ' FOR SELECT',
  a: ' FOR INSERT',
  w: ' FOR UPDATE',
  d: ' FOR DELETE',
};

/** Row-level security policies (CREATE POLICY ... AS RESTRICTIVE FOR ... TO ... USING ... WITH CHECK ...). */
export async function dumpPolicies(ctx: DumpContext, relations: RelationIndex): Promise<void> {
  const oids = [...relations.keys()];
  if (oids.length === 0) return;
  const rows = await ctx.query<{
    oid: number;
    polrelid: number;
    polname: string;
    polcmd: string;
    polpermissive: boolean;
    roles: string | null;
    qual: string | null;
    withcheck: string | null;
  }>(
    `SELECT pol.oid, pol.polrelid, pol.polname, pol.polcmd, pol.polpermissive,
            CASE WHEN pol.polroles = '{0}' THEN NULL
                 ELSE pg_catalog.array_to_string(ARRAY(SELECT pg_catalog.quote_ident(r.rolname)
                                                          FROM pg_catalog.pg_roles r
                                                         WHERE r.oid = ANY (pol.polroles)
                                                         ORDER BY r.rolname), ', ') END AS roles,
            pg_catalog.pg_get_expr(pol.polqual, pol.polrelid) AS qual,
            pg_catalog.pg_get_expr(pol.polwithcheck, pol.polrelid) AS withcheck
       FROM pg_catalog.pg_policy pol
      WHERE pol.polrelid = ANY($1)
      ORDER BY pol.polrelid, pol.polname`,
    [oids],
  );
  for (const row of rows) {
    const rel = relations.get(row.polrelid)!;
    const name = ctx.ident(row.polname);
    let sql = `CREATE POLICY ${name} ON ${rel.qualified}${row.polpermissive ? '' : ' AS RESTRICTIVE'}`;
    sql += commandClause[row.polcmd] ?? '';
    if (row.roles !== null) sql += ` TO ${row.roles}`;
    if (row.qual !== null) sql += ` USING (${row.qual})`;
    if (row.withcheck !== null) sql += ` WITH CHECK (${row.withcheck})`;
    sql += ';\n';
    sql += ctx.commentSql(`POLICY ${name} ON ${rel.qualified}`, 'pg_policy', row.oid);
    ctx.add({
      id: `policy:${row.oid}`,
      section: 'post-data',
      priority: Priority.policy,
      schema: rel.nspname,
      name: `${rel.relname} ${row.polname}`,
      description: `POLICY ${name} ON ${rel.qualified}`,
      render: () => sql,
      contains: [catalogKey('pg_policy', row.oid)],
      after: [rel.itemId],
      kind: 'policy',
      table: rel.qualified,
    });
  }
}
