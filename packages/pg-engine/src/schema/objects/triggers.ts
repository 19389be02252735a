import type { DumpContext } from '../context.js';
import { type CatalogKey, catalogKey, Priority } from '../model.js';
import type { RelationIndex } from './relations.js';

const enableClause: Record<string, string> = { D: 'DISABLE', A: 'ENABLE ALWAYS', R: 'ENABLE REPLICA', O: 'ENABLE' };

/**
 * User triggers via pg_get_triggerdef, plus their enabled state. Triggers cloned onto partitions are recreated by
 * the parent's; one is listed only when its enabled state differs from the parent's (as pg_dump 15).
 */
export async function dumpTriggers(ctx: DumpContext, relations: RelationIndex): Promise<void> {
  const oids = [...relations.keys()];
  if (oids.length === 0) return;
  const cloned = ctx.version >= 130000 ? 't.tgparentid <> 0' : 'false';
  const filter =
    ctx.version >= 130000
      ? '((NOT t.tgisinternal AND t.tgparentid = 0) OR t.tgenabled <> u.tgenabled)'
      : 'NOT t.tgisinternal';
  const parentJoin = ctx.version >= 130000 ? 'LEFT JOIN pg_catalog.pg_trigger u ON u.oid = t.tgparentid' : '';
  const rows = await ctx.query<{
    oid: number;
    tgrelid: number;
    tgname: string;
    def: string;
    tgenabled: string;
    tgconstraint: number;
    cloned: boolean;
    parent_oid: number | null;
  }>(
    `SELECT t.oid, t.tgrelid, t.tgname, pg_catalog.pg_get_triggerdef(t.oid, false) AS def, t.tgenabled,
            t.tgconstraint, ${cloned} AS cloned, ${ctx.version >= 130000 ? 't.tgparentid' : 'NULL::pg_catalog.oid'} AS parent_oid
       FROM pg_catalog.pg_trigger t ${parentJoin}
      WHERE t.tgrelid = ANY($1) AND ${filter}
      ORDER BY t.tgrelid, t.tgname`,
    [oids],
  );
  for (const row of rows) {
    const rel = relations.get(row.tgrelid)!;
    const name = ctx.ident(row.tgname);
    let sql: string;
    const contains: CatalogKey[] = [];
    const after = [rel.itemId];
    if (row.cloned) {
      sql = `ALTER TABLE ${rel.qualified} ${enableClause[row.tgenabled] ?? 'ENABLE'} TRIGGER ${name};\n`;
      if (row.parent_oid !== null) after.push(`trigger:${row.parent_oid}`);
    } else {
      contains.push(catalogKey('pg_trigger', row.oid));
      if (row.tgconstraint !== 0) contains.push(catalogKey('pg_constraint', row.tgconstraint));
      sql = `${row.def};\n`;
      if (row.tgenabled !== 'O') {
        sql += `ALTER TABLE ${rel.qualified} ${enableClause[row.tgenabled] ?? 'ENABLE'} TRIGGER ${name};\n`;
      }
      sql += ctx.commentSql(`TRIGGER ${name} ON ${rel.qualified}`, 'pg_trigger', row.oid);
    }
    ctx.add({
      id: `trigger:${row.oid}`,
      section: 'post-data',
      priority: Priority.trigger,
      schema: rel.nspname,
      name: `${rel.relname} ${row.tgname}`,
      description: `TRIGGER ${name} ON ${rel.qualified}`,
      render: () => sql,
      contains,
      after,
      kind: 'trigger',
      table: rel.qualified,
    });
  }
}
