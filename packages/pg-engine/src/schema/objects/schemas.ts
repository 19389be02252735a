import type { DumpContext } from '../context.js';
import { catalogKey, Priority } from '../model.js';

/**
 * CREATE SCHEMA with owner, comment and ACL. `public` is never created (initdb made it); like pg_dump 15 only its
 * non-default owner, comment and privileges are carried over.
 */
export function dumpSchemas(ctx: DumpContext): void {
  for (const ns of ctx.namespaces.values()) {
    if (!ns.dumped) continue;
    const name = ctx.ident(ns.name);
    const isPublic = ns.name === 'public';
    let sql = '';
    if (isPublic) {
      const defaultOwner = ctx.version >= 150000 ? 'pg_database_owner' : null;
      if (defaultOwner === null || ns.owner !== defaultOwner) sql += ctx.ownerSql('SCHEMA', name, ns.owner);
      const comment = ctx.comment('pg_namespace', ns.oid);
      if (comment === undefined) sql += 'COMMENT ON SCHEMA public IS NULL;\n';
      else if (comment !== 'standard public schema') sql += ctx.commentSql('SCHEMA public', 'pg_namespace', ns.oid);
    } else {
      sql += `CREATE SCHEMA ${name};\n`;
      sql += ctx.ownerSql('SCHEMA', name, ns.owner);
      sql += ctx.commentSql(`SCHEMA ${name}`, 'pg_namespace', ns.oid);
    }
    const id = `schema:${ns.oid}`;
    ctx.add({
      id,
      section: 'pre-data',
      priority: Priority.namespace,
      schema: '',
      name: ns.name,
      description: `SCHEMA ${name}`,
      render: () => sql,
      contains: [catalogKey('pg_namespace', ns.oid)],
      after: [],
    });
    ctx.addAcl({
      objectItemId: id,
      objectId: id,
      type: 'SCHEMA',
      name,
      acl: ns.acl,
      baseAcl: ns.baseAcl,
      owner: ns.owner,
      description: `SCHEMA ${name}`,
      schema: '',
      sortName: ns.name,
    });
  }
}
