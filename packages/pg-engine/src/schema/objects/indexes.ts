import type { DumpContext } from '../context.js';
import { type CatalogKey, catalogKey, Priority } from '../model.js';
import type { RelationIndex } from './relations.js';

interface IndexRow {
  indexrelid: number;
  indrelid: number;
  relname: string;
  nspname: string;
  def: string;
  indisclustered: boolean;
  indisreplident: boolean;
  tablespace: string | null;
  conoid: number | null;
  conname: string | null;
  condef: string | null;
  parent_index: number | null;
  stat_columns: number[] | null;
  stat_values: number[] | null;
}

/**
 * Indexes (pg_get_indexdef) and the constraints that own one (PRIMARY KEY, UNIQUE, EXCLUDE via
 * pg_get_constraintdef), with CLUSTER ON, REPLICA IDENTITY USING INDEX, per-column statistics targets and
 * comments. Partitioned indexes are created ON ONLY the parent and each partition's index is attached afterwards.
 * Invalid indexes are skipped (except on partitioned tables, where "invalid" only means not all attached yet).
 */
export async function dumpIndexes(ctx: DumpContext, relations: RelationIndex): Promise<void> {
  const oids = [...relations.values()].filter((rel) => rel.relkind !== 'v').map((rel) => rel.oid);
  if (oids.length === 0) return;
  const rows = await ctx.query<IndexRow>(
    `SELECT i.indexrelid, i.indrelid, ic.relname, n.nspname, pg_catalog.pg_get_indexdef(i.indexrelid) AS def,
            i.indisclustered, i.indisreplident, ts.spcname AS tablespace,
            con.oid AS conoid, con.conname, pg_catalog.pg_get_constraintdef(con.oid) AS condef,
            inh.inhparent AS parent_index,
            (SELECT pg_catalog.array_agg(a.attnum::pg_catalog.int4 ORDER BY a.attnum) FROM pg_catalog.pg_attribute a
              WHERE a.attrelid = i.indexrelid AND a.attstattarget >= 0) AS stat_columns,
            (SELECT pg_catalog.array_agg(a.attstattarget::pg_catalog.int4 ORDER BY a.attnum) FROM pg_catalog.pg_attribute a
              WHERE a.attrelid = i.indexrelid AND a.attstattarget >= 0) AS stat_values
       FROM pg_catalog.pg_index i
       JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
       JOIN pg_catalog.pg_class t ON t.oid = i.indrelid
       JOIN pg_catalog.pg_namespace n ON n.oid = ic.relnamespace
       LEFT JOIN pg_catalog.pg_tablespace ts ON ts.oid = ic.reltablespace
       LEFT JOIN pg_catalog.pg_constraint con
         ON con.conrelid = i.indrelid AND con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x')
       LEFT JOIN pg_catalog.pg_inherits inh ON inh.inhrelid = i.indexrelid
      WHERE i.indrelid = ANY($1) AND i.indislive AND (i.indisvalid OR t.relkind = 'p')
      ORDER BY i.indrelid, ic.relname`,
    [oids],
  );
  const itemOf = new Map<number, string>();
  for (const row of rows) {
    const rel = relations.get(row.indrelid)!;
    const qualified = ctx.qualify(row.nspname, row.relname);
    const contains: CatalogKey[] = [catalogKey('pg_class', row.indexrelid)];
    let sql = '';
    if (row.tablespace !== null) sql += `SET default_tablespace = ${ctx.ident(row.tablespace)};\n`;
    let id: string;
    let description: string;
    if (row.conoid !== null) {
      id = `constraint:${row.conoid}`;
      const name = ctx.ident(row.conname!);
      description = `CONSTRAINT ${name} ON ${rel.qualified}`;
      contains.push(catalogKey('pg_constraint', row.conoid));
      sql += `ALTER TABLE ONLY ${rel.qualified}\n    ADD CONSTRAINT ${name} ${row.condef};\n`;
    } else {
      id = `index:${row.indexrelid}`;
      description = `INDEX ${qualified}`;
      sql += `${row.def};\n`;
    }
    (row.stat_columns ?? []).forEach((column, at) => {
      sql += `ALTER INDEX ${qualified} ALTER COLUMN ${column} SET STATISTICS ${row.stat_values![at]};\n`;
    });
    if (row.tablespace !== null) sql += "SET default_tablespace = '';\n";
    if (row.indisclustered) sql += `ALTER TABLE ${rel.qualified} CLUSTER ON ${ctx.ident(row.relname)};\n`;
    if (row.indisreplident) {
      sql += `ALTER TABLE ONLY ${rel.qualified} REPLICA IDENTITY USING INDEX ${ctx.ident(row.relname)};\n`;
    }
    if (row.conoid !== null) {
      sql += ctx.commentSql(`CONSTRAINT ${ctx.ident(row.conname!)} ON ${rel.qualified}`, 'pg_constraint', row.conoid);
    }
    sql += ctx.commentSql(`INDEX ${qualified}`, 'pg_class', row.indexrelid);
    itemOf.set(row.indexrelid, id);
    ctx.add({
      id,
      section: 'post-data',
      priority: row.conoid !== null ? Priority.constraint : Priority.index,
      schema: row.nspname,
      name: row.relname,
      description,
      render: () => sql,
      contains,
      after: [rel.itemId],
      kind: row.conoid !== null ? 'constraint' : 'index',
      table: rel.qualified,
    });
  }
  for (const row of rows) {
    if (row.parent_index === null) continue;
    const parentItem = itemOf.get(row.parent_index);
    if (parentItem === undefined) continue;
    const parent = rows.find((candidate) => candidate.indexrelid === row.parent_index)!;
    const sql = `ALTER INDEX ${ctx.qualify(parent.nspname, parent.relname)} ATTACH PARTITION ${ctx.qualify(row.nspname, row.relname)};\n`;
    ctx.add({
      id: `index-attach:${row.indexrelid}`,
      section: 'post-data',
      priority: Priority.indexAttach,
      schema: row.nspname,
      name: row.relname,
      description: `INDEX ATTACH ${ctx.qualify(row.nspname, row.relname)}`,
      render: () => sql,
      contains: [],
      after: [parentItem, itemOf.get(row.indexrelid)!],
      kind: 'index',
      table: relations.get(row.indrelid)!.qualified,
    });
  }
}

/**
 * FOREIGN KEY constraints, after every index. Constraints cloned onto partitions (conparentid <> 0) come back on
 * their own when the parent's is added. A key to a table outside the dump is reported and left out.
 */
export async function dumpForeignKeys(ctx: DumpContext, relations: RelationIndex): Promise<void> {
  const oids = [...relations.values()].filter((rel) => rel.relkind === 'r' || rel.relkind === 'p').map((r) => r.oid);
  if (oids.length === 0) return;
  const rows = await ctx.query<{ oid: number; conrelid: number; confrelid: number; conname: string; def: string }>(
    `SELECT oid, conrelid, confrelid, conname, pg_catalog.pg_get_constraintdef(oid) AS def
       FROM pg_catalog.pg_constraint
      WHERE contype = 'f' AND conparentid = 0 AND conrelid = ANY($1)
      ORDER BY conrelid, conname`,
    [oids],
  );
  for (const row of rows) {
    const rel = relations.get(row.conrelid)!;
    const referenced = relations.get(row.confrelid);
    const name = ctx.ident(row.conname);
    if (!referenced) {
      ctx.warn(`foreign key ${name} on ${rel.qualified} is left out: the table it references is not in the dump`);
      continue;
    }
    const only = rel.relkind === 'p' ? '' : 'ONLY ';
    const sql =
      `ALTER TABLE ${only}${rel.qualified}\n    ADD CONSTRAINT ${name} ${row.def};\n` +
      ctx.commentSql(`CONSTRAINT ${name} ON ${rel.qualified}`, 'pg_constraint', row.oid);
    ctx.add({
      id: `constraint:${row.oid}`,
      section: 'post-data',
      priority: Priority.foreignKey,
      schema: rel.nspname,
      name: row.conname,
      description: `FK CONSTRAINT ${name} ON ${rel.qualified}`,
      render: () => sql,
      contains: [catalogKey('pg_constraint', row.oid)],
      after: [rel.itemId, referenced.itemId],
      kind: 'foreign-key',
      table: rel.qualified,
      dataTables: [referenced.qualified],
    });
  }
}
