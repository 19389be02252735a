import type { DumpContext } from '../context.js';
import { catalogKey, Priority } from '../model.js';
import { quoteLiteral } from '../quote.js';

interface CollationRow {
  oid: number;
  collname: string;
  nspoid: number;
  nspname: string;
  owner: string;
  collprovider: string;
  collisdeterministic: boolean;
  collcollate: string | null;
  collctype: string | null;
  icu_locale: string | null;
  icu_rules: string | null;
}

/** CREATE COLLATION (provider, locale or lc_collate/lc_ctype, deterministic), like pg_dump's dumpCollation. */
export async function dumpCollations(ctx: DumpContext): Promise<void> {
  const localeColumn =
    ctx.version >= 170000 ? 'c.colllocale' : ctx.version >= 150000 ? 'c.colliculocale' : 'NULL::pg_catalog.text';
  const rulesColumn = ctx.version >= 160000 ? 'c.collicurules' : 'NULL::pg_catalog.text';
  const rows = await ctx.query<CollationRow>(
    `SELECT c.oid, c.collname, c.collnamespace AS nspoid, n.nspname,
            pg_catalog.pg_get_userbyid(c.collowner) AS owner, c.collprovider, c.collisdeterministic,
            c.collcollate, c.collctype, ${localeColumn} AS icu_locale, ${rulesColumn} AS icu_rules
       FROM pg_catalog.pg_collation c JOIN pg_catalog.pg_namespace n ON n.oid = c.collnamespace
      WHERE c.oid >= 16384 AND c.collnamespace = ANY($1)`,
    [ctx.dumpedNamespaceOids],
  );
  for (const row of rows) {
    if (ctx.isExtensionMember('pg_collation', row.oid)) continue;
    const qualified = ctx.qualify(row.nspname, row.collname);
    const provider = { c: 'libc', i: 'icu', d: 'default', b: 'builtin' }[row.collprovider] ?? row.collprovider;
    let sql = `CREATE COLLATION ${qualified} (provider = ${provider}`;
    if (!row.collisdeterministic) sql += ', deterministic = false';
    if (row.collprovider === 'i' || row.collprovider === 'b') {
      sql += `, locale = ${quoteLiteral(row.icu_locale ?? row.collcollate ?? '')}`;
      if (row.icu_rules !== null) sql += `, rules = ${quoteLiteral(row.icu_rules)}`;
    } else if (row.collprovider === 'c') {
      if (row.collcollate === row.collctype) sql += `, locale = ${quoteLiteral(row.collcollate ?? '')}`;
      else {
        sql += `, lc_collate = ${quoteLiteral(row.collcollate ?? '')}, lc_ctype = ${quoteLiteral(row.collctype ?? '')}`;
      }
    }
    sql += ');\n';
    sql += ctx.ownerSql('COLLATION', qualified, row.owner);
    sql += ctx.commentSql(`COLLATION ${qualified}`, 'pg_collation', row.oid);
    ctx.add({
      id: `collation:${row.oid}`,
      section: 'pre-data',
      priority: Priority.collation,
      schema: row.nspname,
      name: row.collname,
      description: `COLLATION ${qualified}`,
      render: () => sql,
      contains: [catalogKey('pg_collation', row.oid)],
      after: [`schema:${row.nspoid}`],
    });
  }
}
