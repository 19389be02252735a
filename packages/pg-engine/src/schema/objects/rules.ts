import type { DumpContext } from '../context.js';
import { catalogKey, Priority } from '../model.js';
import type { RelationIndex } from './relations.js';

const enableClause: Record<string, string> = { D: 'DISABLE', A: 'ENABLE ALWAYS', R: 'ENABLE REPLICA' };

/** Rewrite rules other than views' _RETURN rules, via pg_get_ruledef, with their enabled state. */
export async function dumpRules(ctx: DumpContext, relations: RelationIndex): Promise<void> {
  const oids = [...relations.keys()];
  if (oids.length === 0) return;
  const rows = await ctx.query<{ oid: number; ev_class: number; rulename: string; def: string; ev_enabled: string }>(
    `SELECT oid, ev_class, rulename, pg_catalog.pg_get_ruledef(oid) AS def, ev_enabled
       FROM pg_catalog.pg_rewrite
      WHERE ev_class = ANY($1) AND rulename <> '_RETURN'
      ORDER BY ev_class, rulename`,
    [oids],
  );
  for (const row of rows) {
    const rel = relations.get(row.ev_class)!;
    const name = ctx.ident(row.rulename);
    let sql = `${row.def.trimEnd()}\n`;
    const enable = enableClause[row.ev_enabled];
    if (enable) sql += `ALTER TABLE ${rel.qualified} ${enable} RULE ${name};\n`;
    sql += ctx.commentSql(`RULE ${name} ON ${rel.qualified}`, 'pg_rewrite', row.oid);
    ctx.add({
      id: `rule:${row.oid}`,
      section: 'post-data',
      priority: Priority.rule,
      schema: rel.nspname,
      name: `${rel.relname} ${row.rulename}`,
      description: `RULE ${name} ON ${rel.qualified}`,
      render: () => sql,
      contains: [catalogKey('pg_rewrite', row.oid)],
      after: [rel.itemId],
      kind: 'rule',
      table: rel.qualified,
    });
  }
}
