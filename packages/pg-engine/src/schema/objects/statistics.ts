import type { DumpContext } from '../context.js';
import { catalogKey, Priority } from '../model.js';
import type { RelationIndex } from './relations.js';

/** Extended statistics objects via pg_get_statisticsobjdef, with their statistics target, owner and comment. */
export async function dumpStatistics(ctx: DumpContext, relations: RelationIndex): Promise<void> {
  const oids = [...relations.keys()];
  if (oids.length === 0) return;
  const target = ctx.version >= 130000 ? 'CASE WHEN s.stxstattarget >= 0 THEN s.stxstattarget ELSE -1 END' : '-1';
  const rows = await ctx.query<{
    oid: number;
    stxname: string;
    nspname: string;
    stxrelid: number;
    owner: string;
    def: string;
    stattarget: number;
  }>(
    `SELECT s.oid, s.stxname, n.nspname, s.stxrelid, pg_catalog.pg_get_userbyid(s.stxowner) AS owner,
            pg_catalog.pg_get_statisticsobjdef(s.oid) AS def, ${target} AS stattarget
       FROM pg_catalog.pg_statistic_ext s JOIN pg_catalog.pg_namespace n ON n.oid = s.stxnamespace
      WHERE s.stxrelid = ANY($1)
      ORDER BY s.oid`,
    [oids],
  );
  for (const row of rows) {
    const rel = relations.get(row.stxrelid)!;
    const qualified = ctx.qualify(row.nspname, row.stxname);
    let sql = `${row.def};\n`;
    if (row.stattarget >= 0) sql += `ALTER STATISTICS ${qualified} SET STATISTICS ${row.stattarget};\n`;
    sql += ctx.ownerSql('STATISTICS', qualified, row.owner);
    sql += ctx.commentSql(`STATISTICS ${qualified}`, 'pg_statistic_ext', row.oid);
    ctx.add({
      id: `statistics:${row.oid}`,
      section: 'post-data',
      priority: Priority.statistics,
      schema: row.nspname,
      name: row.stxname,
      description: `STATISTICS ${qualified}`,
      render: () => sql,
      contains: [catalogKey('pg_statistic_ext', row.oid)],
      after: [rel.itemId],
      kind: 'statistics',
      table: rel.qualified,
    });
  }
}
