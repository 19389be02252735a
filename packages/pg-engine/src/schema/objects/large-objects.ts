import type { DumpContext } from '../context.js';
import { Priority } from '../model.js';
import { quoteLiteral } from '../quote.js';
import type { LargeObjectInfo } from '../types.js';

/**
 * Large objects (only in whole-database dumps, as pg_dump). Their contents and creation belong to the data path
 * (see largeObjectCreateSql); their comments and privileges are post-data items.
 */
export async function dumpLargeObjects(ctx: DumpContext): Promise<LargeObjectInfo[]> {
  if (!ctx.filter.everything) return [];
  const rows = await ctx.query<{ oid: number; owner: string | null; acl: string | null; acldefault: string }>(
    `SELECT l.oid, pg_catalog.pg_get_userbyid(l.lomowner) AS owner, l.lomacl::pg_catalog.text AS acl,
            pg_catalog.acldefault('L', l.lomowner)::pg_catalog.text AS acldefault
       FROM pg_catalog.pg_largeobject_metadata l
      ORDER BY l.oid`,
  );
  for (const row of rows) {
    const comment = ctx.commentSql(`LARGE OBJECT ${row.oid}`, 'pg_largeobject', row.oid);
    if (comment !== '') {
      ctx.add({
        id: `large-object-comment:${row.oid}`,
        section: 'post-data',
        priority: Priority.acl,
        schema: '',
        name: String(row.oid).padStart(10, '0'),
        description: `COMMENT ON LARGE OBJECT ${row.oid}`,
        render: () => comment,
        contains: [],
        after: [],
        kind: 'comment',
      });
    }
    ctx.addAcl({
      objectItemId: `large-object-comment:${row.oid}`,
      objectId: `large-object:${row.oid}`,
      type: 'LARGE OBJECT',
      name: String(row.oid),
      acl: row.acl,
      baseAcl: row.acldefault,
      owner: row.owner,
      description: `LARGE OBJECT ${row.oid}`,
      schema: '',
      sortName: String(row.oid).padStart(10, '0'),
    });
  }
  return rows.map((row) => ({ oid: row.oid, owner: row.owner }));
}

/** Creates one (empty) large object with its OID and owner; the data path runs it before writing the contents. */
export function largeObjectCreateSql(largeObject: LargeObjectInfo, options: { noOwner?: boolean } = {}): string {
  let sql = `SELECT pg_catalog.lo_create(${quoteLiteral(String(largeObject.oid))});\n`;
  if (!options.noOwner && largeObject.owner !== null) {
    // Always quoted: this helper runs without the server's keyword list, and quoting is never wrong.
    sql += `ALTER LARGE OBJECT ${largeObject.oid} OWNER TO "${largeObject.owner.replaceAll('"', '""')}";\n`;
  }
  return sql;
}
