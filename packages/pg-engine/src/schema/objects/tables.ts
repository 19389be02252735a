import type { DumpContext } from '../context.js';
import { type CatalogKey, catalogKey, type DumpItem, Priority } from '../model.js';
import type { TableDataInfo } from '../types.js';
import { type ColumnInfo, type RelationIndex, type RelationInfo, reloptionsSql } from './relations.js';
import { type SequenceInfo, sequenceOptions } from './sequences.js';

const storageNames: Record<string, string> = { p: 'PLAIN', e: 'EXTERNAL', m: 'MAIN', x: 'EXTENDED' };
const compressionNames: Record<string, string> = { p: 'pglz', l: 'lz4' };

/**
 * Tables and partitioned tables, following pg_dump 15's dumpTableSchema: columns with type, collation, identity,
 * generation expression and NOT NULL; validated local CHECKs inline; INHERITS; PARTITION BY; WITH options;
 * TABLESPACE; then per-column ALTERs (storage, compression, statistics, options). Partitions are created as plain
 * tables and attached afterwards. Column defaults are separate items so that sequences and functions they use
 * can be created after the table; NOT VALID CHECKs go to post-data.
 */
export function dumpTables(ctx: DumpContext, relations: RelationIndex, sequences: SequenceInfo[]): void {
  const identity = new Map<string, SequenceInfo>();
  for (const seq of sequences) {
    if (seq.identity && seq.ownerTable !== null) identity.set(`${seq.ownerTable}:${seq.ownerColumn}`, seq);
  }
  for (const rel of relations.values()) {
    if (rel.relkind !== 'r' && rel.relkind !== 'p') continue;
    addTable(ctx, relations, rel, identity);
    addDefaults(ctx, rel);
    addAttach(ctx, relations, rel);
    addNotValidChecks(ctx, rel);
    if (rel.relrowsecurity) {
      ctx.add({
        id: `row-security:${rel.oid}`,
        section: 'post-data',
        priority: Priority.policy,
        schema: rel.nspname,
        name: rel.relname,
        description: `ROW SECURITY ${rel.qualified}`,
        render: () => `ALTER TABLE ${rel.qualified} ENABLE ROW LEVEL SECURITY;\n`,
        contains: [],
        after: [rel.itemId],
        kind: 'policy',
        table: rel.qualified,
      });
    }
    addRelationAcl(ctx, rel);
  }
}

function addTable(
  ctx: DumpContext,
  relations: RelationIndex,
  rel: RelationInfo,
  identity: Map<string, SequenceInfo>,
): void {
  const parentColumns = (column: ColumnInfo) =>
    rel.parents
      .map((oid) => relations.get(oid)?.columns.find((candidate) => candidate.attname === column.attname))
      .filter((candidate): candidate is ColumnInfo => candidate !== undefined);
  const inline = new Set(
    rel.checks.filter((check) => check.convalidated && (check.conislocal || rel.relispartition)).map((c) => c.oid),
  );
  const contains: CatalogKey[] = [catalogKey('pg_class', rel.oid), catalogKey('pg_type', rel.reltype)];
  for (const check of rel.checks) if (inline.has(check.oid)) contains.push(catalogKey('pg_constraint', check.oid));
  for (const column of rel.columns) {
    // Generation expressions live in the CREATE TABLE, so their dependencies are the table's.
    if (column.attgenerated !== '' && column.attrdefOid !== null) {
      contains.push(catalogKey('pg_attrdef', column.attrdefOid));
    }
    const seq = identity.get(`${rel.oid}:${column.attname}`);
    if (seq) contains.push(catalogKey('pg_class', seq.oid));
  }

  const render = (): string => {
    const entries: string[] = [];
    for (const column of rel.columns) {
      if (!(column.attislocal || rel.relispartition)) continue;
      const name = ctx.ident(column.attname);
      const inheritedNotNull = parentColumns(column).some((parent) => parent.attnotnull);
      const printNotNull = column.attnotnull && (!inheritedNotNull || rel.relispartition);
      if (rel.oftype !== null) {
        if (printNotNull) entries.push(`${name} WITH OPTIONS NOT NULL`);
        continue;
      }
      let entry = `${name} ${column.typname}`;
      if (column.collation) entry += ` COLLATE ${column.collation}`;
      if (column.attgenerated !== '' && column.defaultExpr !== null) {
        const sameAsParent = parentColumns(column).some((parent) => parent.defaultExpr === column.defaultExpr);
        if (!sameAsParent || rel.relispartition) {
          entry += ` GENERATED ALWAYS AS (${column.defaultExpr})${column.attgenerated === 'v' ? ' VIRTUAL' : ' STORED'}`;
        }
      }
      const seq = identity.get(`${rel.oid}:${column.attname}`);
      if (column.attidentity !== '' && seq) {
        const kind = column.attidentity === 'a' ? 'ALWAYS' : 'BY DEFAULT';
        entry += ` GENERATED ${kind} AS IDENTITY (\n        SEQUENCE NAME ${seq.qualified}\n        ${sequenceOptions(seq, '\n        ', true)}\n    )`;
      }
      if (printNotNull) entry += ' NOT NULL';
      entries.push(entry);
    }
    for (const check of rel.checks) {
      if (inline.has(check.oid)) entries.push(`CONSTRAINT ${ctx.ident(check.conname)} ${check.def}`);
    }

    let sql = `CREATE ${rel.unlogged ? 'UNLOGGED ' : ''}TABLE ${rel.qualified}`;
    if (rel.oftype !== null) sql += ` OF ${rel.oftype}`;
    if (entries.length > 0) sql += ` (\n    ${entries.join(',\n    ')}\n)`;
    else if (rel.oftype === null) sql += ' (\n)';
    if (!rel.relispartition && rel.parents.length > 0) {
      const parents = rel.parents.map((oid) => relations.get(oid)?.qualified).filter((name) => name !== undefined);
      if (parents.length > 0) sql += `\nINHERITS (${parents.join(', ')})`;
    }
    if (rel.partkey !== null) sql += `\nPARTITION BY ${rel.partkey}`;
    if (rel.relkind === 'r' && rel.amname !== null && rel.amname !== 'heap') sql += `\nUSING ${ctx.ident(rel.amname)}`;
    const options = [
      ...reloptionsSql(ctx, rel.reloptions ?? [], ''),
      ...reloptionsSql(ctx, rel.toastReloptions ?? [], 'toast.'),
    ];
    if (options.length > 0) sql += `\nWITH (${options.join(', ')})`;
    if (rel.tablespace !== null) sql += `\nTABLESPACE ${ctx.ident(rel.tablespace)}`;
    sql += ';\n';
    sql += columnAlters(ctx, rel, parentColumns);
    if (rel.relreplident === 'n') sql += `ALTER TABLE ONLY ${rel.qualified} REPLICA IDENTITY NOTHING;\n`;
    else if (rel.relreplident === 'f') sql += `ALTER TABLE ONLY ${rel.qualified} REPLICA IDENTITY FULL;\n`;
    if (rel.relforcerowsecurity) sql += `ALTER TABLE ONLY ${rel.qualified} FORCE ROW LEVEL SECURITY;\n`;
    sql += ctx.ownerSql('TABLE', rel.qualified, rel.owner);
    sql += relationComments(ctx, rel, 'TABLE');
    for (const check of rel.checks) {
      if (inline.has(check.oid)) {
        sql += ctx.commentSql(`CONSTRAINT ${ctx.ident(check.conname)} ON ${rel.qualified}`, 'pg_constraint', check.oid);
      }
    }
    return sql;
  };

  ctx.add({
    id: rel.itemId,
    section: 'pre-data',
    priority: Priority.table,
    schema: rel.nspname,
    name: rel.relname,
    description: `TABLE ${rel.qualified}`,
    render,
    contains,
    after: [`schema:${rel.nspoid}`],
    // A CHECK that calls a function taking the table's row type is split out to break the loop (as pg_dump).
    splits: rel.checks
      .filter((check) => inline.has(check.oid))
      .map((check) => ({
        keys: [catalogKey('pg_constraint', check.oid)],
        apply: (): DumpItem[] => {
          inline.delete(check.oid);
          contains.splice(contains.indexOf(catalogKey('pg_constraint', check.oid)), 1);
          return [separateCheckItem(ctx, rel, check.oid, check.conname, check.def)];
        },
      })),
  });
}

/** ALTERs for what CREATE TABLE cannot say: inherited NOT NULL, statistics, storage, compression, options. */
function columnAlters(
  ctx: DumpContext,
  rel: RelationInfo,
  parentColumns: (column: ColumnInfo) => ColumnInfo[],
): string {
  let sql = '';
  const only = `ALTER TABLE ONLY ${rel.qualified} ALTER COLUMN`;
  for (const column of rel.columns) {
    const name = ctx.ident(column.attname);
    const printed = column.attislocal || rel.relispartition;
    const parents = parentColumns(column);
    if (!printed && column.attnotnull && !parents.some((parent) => parent.attnotnull)) {
      sql += `${only} ${name} SET NOT NULL;\n`;
    }
    if (column.attstattarget >= 0) sql += `${only} ${name} SET STATISTICS ${column.attstattarget};\n`;
    if (column.attstorage !== column.typstorage) {
      sql += `${only} ${name} SET STORAGE ${storageNames[column.attstorage] ?? 'EXTENDED'};\n`;
    }
    const compression = compressionNames[column.attcompression];
    if (compression) sql += `${only} ${name} SET COMPRESSION ${compression};\n`;
    if (column.attoptions !== null) sql += `${only} ${name} SET (${column.attoptions});\n`;
    // CREATE TABLE ... INHERITS copies a parent's default; a child column without one must lose it again.
    if (!rel.relispartition && column.defaultExpr === null && parents.some((parent) => parent.defaultExpr !== null)) {
      sql += `${only} ${name} DROP DEFAULT;\n`;
    }
  }
  return sql;
}

function separateCheckItem(ctx: DumpContext, rel: RelationInfo, oid: number, conname: string, def: string): DumpItem {
  const name = ctx.ident(conname);
  // Not ONLY: the constraint must reach inheritance children, as pg_dump does.
  const sql =
    `ALTER TABLE ${rel.qualified}\n    ADD CONSTRAINT ${name} ${def};\n` +
    ctx.commentSql(`CONSTRAINT ${name} ON ${rel.qualified}`, 'pg_constraint', oid);
  return {
    id: `check:${oid}`,
    section: 'post-data',
    priority: Priority.constraint,
    schema: rel.nspname,
    name: conname,
    description: `CHECK CONSTRAINT ${name} ON ${rel.qualified}`,
    render: () => sql,
    contains: [catalogKey('pg_constraint', oid)],
    after: [rel.itemId],
    kind: 'constraint',
    table: rel.qualified,
  };
}

function addNotValidChecks(ctx: DumpContext, rel: RelationInfo): void {
  for (const check of rel.checks) {
    if (check.convalidated || !check.conislocal) continue;
    ctx.add(separateCheckItem(ctx, rel, check.oid, check.conname, check.def));
  }
}

/** One `ALTER ... SET DEFAULT` item per column default (generation expressions stay in CREATE TABLE). */
export function addDefaults(ctx: DumpContext, rel: RelationInfo): void {
  const target = rel.relkind === 'v' ? `VIEW ${rel.qualified}` : `TABLE ONLY ${rel.qualified}`;
  for (const column of rel.columns) {
    if (column.attrdefOid === null || column.defaultExpr === null || column.attgenerated !== '') continue;
    const sql = `ALTER ${target} ALTER COLUMN ${ctx.ident(column.attname)} SET DEFAULT ${column.defaultExpr};\n`;
    ctx.add({
      id: `default:${column.attrdefOid}`,
      section: 'pre-data',
      priority: Priority.attrDefault,
      schema: rel.nspname,
      name: `${rel.relname} ${column.attname}`,
      description: `DEFAULT ${rel.qualified}.${ctx.ident(column.attname)}`,
      render: () => sql,
      contains: [catalogKey('pg_attrdef', column.attrdefOid)],
      after: [rel.itemId],
    });
  }
}

function addAttach(ctx: DumpContext, relations: RelationIndex, rel: RelationInfo): void {
  if (!rel.relispartition || rel.partbound === null) return;
  const parent = relations.get(rel.parents[0] ?? -1);
  if (!parent) return;
  const sql = `ALTER TABLE ONLY ${parent.qualified} ATTACH PARTITION ${rel.qualified} ${rel.partbound};\n`;
  ctx.add({
    id: `attach:${rel.oid}`,
    section: 'pre-data',
    priority: Priority.tableAttach,
    schema: rel.nspname,
    name: rel.relname,
    description: `TABLE ATTACH ${rel.qualified}`,
    render: () => sql,
    contains: [],
    after: [rel.itemId, parent.itemId],
  });
}

/** COMMENT ON the relation and its columns. */
export function relationComments(ctx: DumpContext, rel: RelationInfo, keyword: string): string {
  let sql = ctx.commentSql(`${keyword} ${rel.qualified}`, 'pg_class', rel.oid);
  for (const column of rel.columns) {
    sql += ctx.commentSql(`COLUMN ${rel.qualified}.${ctx.ident(column.attname)}`, 'pg_class', rel.oid, column.attnum);
  }
  return sql;
}

/** Table-level and column-level privileges of a table, view or materialized view. */
export function addRelationAcl(ctx: DumpContext, rel: RelationInfo): void {
  ctx.addAcl({
    objectItemId: rel.itemId,
    objectId: rel.itemId,
    type: 'TABLE',
    name: rel.qualified,
    acl: rel.acl,
    baseAcl: rel.acldefault,
    owner: rel.owner,
    description: `TABLE ${rel.qualified}`,
    schema: rel.nspname,
    sortName: rel.relname,
    table: rel.qualified,
    columns: rel.columns
      .filter((column) => column.acl !== null)
      .map((column) => ({ name: column.attname, acl: column.acl })),
  });
}

/** The relations whose rows the data path copies: tables and partitioned tables (flagged), in OID order. */
export function tableDataInfo(ctx: DumpContext, relations: RelationIndex): TableDataInfo[] {
  const tables: TableDataInfo[] = [];
  for (const rel of relations.values()) {
    if (rel.relkind !== 'r' && rel.relkind !== 'p') continue;
    const parent = rel.relispartition ? relations.get(rel.parents[0] ?? -1) : undefined;
    tables.push({
      oid: rel.oid,
      schema: rel.nspname,
      name: rel.relname,
      qualifiedName: rel.qualified,
      columns: rel.columns.filter((column) => column.attgenerated === '').map((column) => ctx.ident(column.attname)),
      relkind: rel.relkind,
      isPartitionParent: rel.relkind === 'p',
      partitionOf: parent?.qualified ?? null,
      estimatedBytes: rel.size,
      estimatedRows: rel.reltuples,
      primaryKey: rel.primaryKey?.map((column) => ctx.ident(column)) ?? null,
    });
  }
  return tables;
}
