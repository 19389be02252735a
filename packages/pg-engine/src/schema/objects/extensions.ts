import type { DumpContext } from '../context.js';
import { catalogKey, Priority } from '../model.js';

/**
 * CREATE EXTENSION IF NOT EXISTS ... WITH SCHEMA. Objects that belong to an extension are never dumped one by one
 * (its script recreates them). Extensions made by initdb (plpgsql) are assumed present, as pg_dump does.
 */
export async function dumpExtensions(ctx: DumpContext): Promise<void> {
  const rows = await ctx.query<{ oid: number; extname: string; nspoid: number; nspname: string }>(
    `SELECT x.oid, x.extname, x.extnamespace AS nspoid, n.nspname
       FROM pg_catalog.pg_extension x JOIN pg_catalog.pg_namespace n ON n.oid = x.extnamespace
      WHERE x.oid >= 16384`,
  );
  for (const row of rows) {
    const schemaIncluded = ctx.filter.everything || ctx.namespaceDumped(row.nspoid);
    if (!schemaIncluded) continue;
    const name = ctx.ident(row.extname);
    const sql =
      `CREATE EXTENSION IF NOT EXISTS ${name} WITH SCHEMA ${ctx.ident(row.nspname)};\n` +
      ctx.commentSql(`EXTENSION ${name}`, 'pg_extension', row.oid);
    ctx.add({
      id: `extension:${row.oid}`,
      section: 'pre-data',
      priority: Priority.extension,
      schema: '',
      name: row.extname,
      description: `EXTENSION ${name}`,
      render: () => sql,
      contains: [catalogKey('pg_extension', row.oid)],
      after: [`schema:${row.nspoid}`],
    });
  }
}
