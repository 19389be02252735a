import { type AclObjectType, buildAclCommands } from '../acl.js';
import type { DumpContext } from '../context.js';
import { Priority } from '../model.js';

const objectTypes: Record<string, AclObjectType> = {
  r: 'TABLES',
  S: 'SEQUENCES',
  f: 'FUNCTIONS',
  T: 'TYPES',
  n: 'SCHEMAS',
};

/**
 * ALTER DEFAULT PRIVILEGES from pg_default_acl (pg_dump's buildDefaultACLCommands): global entries are diffed
 * against acldefault(), per-schema ones against an empty ACL. They are applied at the very end so they do not
 * change the privileges of the objects the restore itself creates.
 */
export async function dumpDefaultPrivileges(ctx: DumpContext): Promise<void> {
  if (ctx.options.noPrivileges) return;
  const rows = await ctx.query<{
    oid: number;
    role: string;
    nspoid: number;
    nspname: string | null;
    objtype: string;
    acl: string;
    acldefault: string;
  }>(
    `SELECT d.oid, pg_catalog.pg_get_userbyid(d.defaclrole) AS role, d.defaclnamespace AS nspoid, n.nspname,
            d.defaclobjtype AS objtype, d.defaclacl::pg_catalog.text AS acl,
            CASE WHEN d.defaclnamespace = 0
                 THEN pg_catalog.acldefault(CASE WHEN d.defaclobjtype = 'S' THEN 's'::"char" ELSE d.defaclobjtype END,
                                            d.defaclrole)
                 ELSE '{}' END::pg_catalog.text AS acldefault
       FROM pg_catalog.pg_default_acl d LEFT JOIN pg_catalog.pg_namespace n ON n.oid = d.defaclnamespace
      ORDER BY d.oid`,
  );
  for (const row of rows) {
    if (row.nspname === null ? !ctx.filter.everything : !ctx.namespaceDumped(row.nspoid)) continue;
    const type = objectTypes[row.objtype];
    if (!type) continue;
    let prefix = `ALTER DEFAULT PRIVILEGES FOR ROLE ${ctx.ident(row.role)} `;
    if (row.nspname !== null) prefix += `IN SCHEMA ${ctx.ident(row.nspname)} `;
    const description = `DEFAULT PRIVILEGES FOR ${type} of ${row.role}${row.nspname ? ` in ${row.nspname}` : ''}`;
    const sql = buildAclCommands(
      { type, name: '', acl: row.acl, baseAcl: row.acldefault, owner: row.role, prefix, description },
      ctx.quoter,
      ctx.version,
    );
    if (sql === '') continue;
    ctx.add({
      id: `default-acl:${row.oid}`,
      section: 'post-data',
      priority: Priority.defaultAcl,
      schema: row.nspname ?? '',
      name: `${row.role} ${type}`,
      description,
      render: () => sql,
      contains: [],
      after: row.nspname === null ? [] : [`schema:${row.nspoid}`],
      kind: 'acl',
    });
  }
}
