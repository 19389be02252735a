import type { DumpContext } from '../context.js';
import { catalogKey, Priority } from '../model.js';

const enableClause: Record<string, string> = { D: 'DISABLE', A: 'ENABLE ALWAYS', R: 'ENABLE REPLICA' };

/**
 * Event triggers (database-wide, so only in whole-database dumps). They go last in post-data so they do not fire
 * on the restore's own DDL.
 */
export async function dumpEventTriggers(ctx: DumpContext): Promise<void> {
  if (!ctx.filter.everything) return;
  const rows = await ctx.query<{
    oid: number;
    evtname: string;
    evtevent: string;
    evtenabled: string;
    owner: string;
    tags: string;
    func: string;
  }>(
    `SELECT e.oid, e.evtname, e.evtevent, e.evtenabled, pg_catalog.pg_get_userbyid(e.evtowner) AS owner,
            pg_catalog.array_to_string(ARRAY(SELECT pg_catalog.quote_literal(x)
                                               FROM pg_catalog.unnest(e.evttags) AS t(x)), ', ') AS tags,
            e.evtfoid::pg_catalog.regproc::pg_catalog.text AS func
       FROM pg_catalog.pg_event_trigger e
      ORDER BY e.oid`,
  );
  for (const row of rows) {
    if (ctx.isExtensionMember('pg_event_trigger', row.oid)) continue;
    const name = ctx.ident(row.evtname);
    let sql = `CREATE EVENT TRIGGER ${name} ON ${ctx.ident(row.evtevent)}`;
    if (row.tags !== '') sql += `\n         WHEN TAG IN (${row.tags})`;
    sql += `\n   EXECUTE FUNCTION ${row.func}();\n`;
    const enable = enableClause[row.evtenabled];
    if (enable) sql += `ALTER EVENT TRIGGER ${name} ${enable};\n`;
    sql += ctx.ownerSql('EVENT TRIGGER', name, row.owner);
    sql += ctx.commentSql(`EVENT TRIGGER ${name}`, 'pg_event_trigger', row.oid);
    ctx.add({
      id: `event-trigger:${row.oid}`,
      section: 'post-data',
      priority: Priority.eventTrigger,
      schema: '',
      name: row.evtname,
      description: `EVENT TRIGGER ${name}`,
      render: () => sql,
      contains: [catalogKey('pg_event_trigger', row.oid)],
      after: [],
      kind: 'event-trigger',
    });
  }
}
