import type { DumpContext } from '../context.js';

interface MemberAclRow {
  oid: number;
  kind: string;
  name: string;
  sort_name: string;
  nspname: string;
  owner: string;
  acl: string | null;
  acldefault: string;
  initprivs: string | null;
}

/**
 * Privileges changed on objects that belong to an extension (GRANT on an extension's function or table after
 * CREATE EXTENSION). The extension's script recreates the objects with their initial privileges (pg_init_privs);
 * like pg_dump, only the difference from those is dumped.
 */
export async function dumpExtensionMemberAcls(ctx: DumpContext): Promise<void> {
  if (ctx.options.noPrivileges) return;
  const members = new Map<string, number[]>();
  for (const key of ctx.dependencies.extensionMembers.keys()) {
    const [catalog, oid] = key.split(':') as [string, string];
    const list = members.get(catalog);
    if (list) list.push(Number(oid));
    else members.set(catalog, [Number(oid)]);
  }
  const initPrivs = (catalog: string, oidColumn: string) =>
    `LEFT JOIN pg_catalog.pg_init_privs pip ON pip.objoid = ${oidColumn}
       AND pip.classoid = 'pg_catalog.${catalog}'::pg_catalog.regclass AND pip.objsubid = 0`;
  const queries: Array<{ catalog: string; sql: string }> = [
    {
      catalog: 'pg_class',
      sql: `SELECT c.oid, CASE c.relkind WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END AS kind,
                   pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname) AS name,
                   c.relname AS sort_name, n.nspname, pg_catalog.pg_get_userbyid(c.relowner) AS owner,
                   c.relacl::pg_catalog.text AS acl,
                   pg_catalog.acldefault(CASE c.relkind WHEN 'S' THEN 's' ELSE 'r' END::"char", c.relowner)::pg_catalog.text AS acldefault,
                   pip.initprivs::pg_catalog.text AS initprivs
              FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
              ${initPrivs('pg_class', 'c.oid')}
             WHERE c.oid = ANY($1)`,
    },
    {
      catalog: 'pg_proc',
      sql: `SELECT p.oid, CASE p.prokind WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END AS kind,
                   pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(p.proname) || '(' ||
                   COALESCE((SELECT pg_catalog.string_agg(pg_catalog.format_type(a.t, NULL), ', ' ORDER BY a.ord)
                               FROM pg_catalog.unnest(p.proargtypes::pg_catalog.oid[]) WITH ORDINALITY AS a(t, ord)), '')
                   || ')' AS name,
                   p.proname AS sort_name, n.nspname, pg_catalog.pg_get_userbyid(p.proowner) AS owner,
                   p.proacl::pg_catalog.text AS acl, pg_catalog.acldefault('f', p.proowner)::pg_catalog.text AS acldefault,
                   pip.initprivs::pg_catalog.text AS initprivs
              FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
              ${initPrivs('pg_proc', 'p.oid')}
             WHERE p.oid = ANY($1)`,
    },
    {
      catalog: 'pg_type',
      sql: `SELECT t.oid, 'TYPE' AS kind, pg_catalog.format_type(t.oid, NULL) AS name, t.typname AS sort_name,
                   n.nspname, pg_catalog.pg_get_userbyid(t.typowner) AS owner, t.typacl::pg_catalog.text AS acl,
                   pg_catalog.acldefault('T', t.typowner)::pg_catalog.text AS acldefault,
                   pip.initprivs::pg_catalog.text AS initprivs
              FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
              ${initPrivs('pg_type', 't.oid')}
             WHERE t.oid = ANY($1)`,
    },
  ];
  const itemIds = new Set(ctx.items.map((item) => item.id));
  for (const { catalog, sql } of queries) {
    const oids = members.get(catalog);
    if (!oids?.length) continue;
    const rows = await ctx.query<MemberAclRow>(sql, [oids]);
    for (const row of rows) {
      const extensionKey = ctx.dependencies.extensionMembers.get(`${catalog}:${row.oid}`)!;
      const extensionItem = `extension:${extensionKey.slice('pg_extension:'.length)}`;
      if (!itemIds.has(extensionItem)) continue;
      // Without pg_init_privs the object started from acldefault(); with them, "no ACL" also means acldefault().
      const acl = row.initprivs !== null ? (row.acl ?? row.acldefault) : row.acl;
      if (acl === null || acl === (row.initprivs ?? row.acldefault)) continue;
      ctx.addAcl({
        objectItemId: extensionItem,
        objectId: `${catalog}:${row.oid}`,
        type: row.kind as 'TABLE' | 'SEQUENCE' | 'FUNCTION' | 'PROCEDURE' | 'TYPE',
        name: row.name,
        acl,
        baseAcl: row.initprivs ?? row.acldefault,
        owner: row.owner,
        description: `${row.kind} ${row.name} (extension member)`,
        schema: row.nspname,
        sortName: row.sort_name,
      });
    }
  }
}
