import type { DumpContext } from '../context.js';
import { catalogKey, Priority } from '../model.js';
import { quoteLiteral } from '../quote.js';

export interface SequenceInfo {
  oid: number;
  relname: string;
  nspoid: number;
  nspname: string;
  qualified: string;
  unlogged: boolean;
  owner: string;
  acl: string | null;
  acldefault: string;
  seqtype: string;
  start: string;
  increment: string;
  max: string;
  min: string;
  cache: string;
  cycle: boolean;
  /** Table and column that own the sequence (OWNED BY, or identity), if any. */
  ownerTable: number | null;
  ownerColumn: string | null;
  identity: boolean;
}

const typeBounds: Record<string, [string, string]> = {
  smallint: ['-32768', '32767'],
  integer: ['-2147483648', '2147483647'],
  bigint: ['-9223372036854775808', '9223372036854775807'],
};

export async function loadSequences(ctx: DumpContext): Promise<SequenceInfo[]> {
  const rows = await ctx.query<Omit<SequenceInfo, 'qualified' | 'unlogged'> & { relpersistence: string }>(
    `SELECT c.oid, c.relname, c.relnamespace AS nspoid, n.nspname, c.relpersistence,
            pg_catalog.pg_get_userbyid(c.relowner) AS owner, c.relacl::pg_catalog.text AS acl,
            pg_catalog.acldefault('s', c.relowner)::pg_catalog.text AS acldefault,
            pg_catalog.format_type(s.seqtypid, NULL) AS seqtype, s.seqstart::pg_catalog.text AS start,
            s.seqincrement::pg_catalog.text AS increment, s.seqmax::pg_catalog.text AS max,
            s.seqmin::pg_catalog.text AS min, s.seqcache::pg_catalog.text AS cache, s.seqcycle AS cycle,
            d.refobjid AS "ownerTable", a.attname AS "ownerColumn", COALESCE(d.deptype = 'i', false) AS identity
       FROM pg_catalog.pg_class c
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_catalog.pg_sequence s ON s.seqrelid = c.oid
       LEFT JOIN pg_catalog.pg_depend d
         ON d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid
        AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i')
       LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
      WHERE c.relkind = 'S' AND c.relnamespace = ANY($1)
      ORDER BY c.oid`,
    [ctx.dumpedNamespaceOids],
  );
  return rows
    .filter((row) => !ctx.isExtensionMember('pg_class', row.oid))
    .map(({ relpersistence, ...row }) => ({
      ...row,
      qualified: ctx.qualify(row.nspname, row.relname),
      unlogged: relpersistence === 'u',
    }));
}

/** The option list shared by CREATE SEQUENCE and identity columns (pg_dump's dumpSequence). */
export function sequenceOptions(seq: SequenceInfo, separator: string, forIdentity = false): string {
  const [typeMin, typeMax] = typeBounds[seq.seqtype] ?? typeBounds['bigint']!;
  const ascending = !seq.increment.startsWith('-');
  const defaultMin = ascending ? '1' : typeMin;
  const defaultMax = ascending ? typeMax : '-1';
  const parts: string[] = [];
  // An identity sequence takes its column's type; repeating it is refused as a conflicting option.
  if (seq.seqtype !== 'bigint' && !forIdentity) parts.push(`AS ${seq.seqtype}`);
  parts.push(`START WITH ${seq.start}`, `INCREMENT BY ${seq.increment}`);
  parts.push(seq.min === defaultMin ? 'NO MINVALUE' : `MINVALUE ${seq.min}`);
  parts.push(seq.max === defaultMax ? 'NO MAXVALUE' : `MAXVALUE ${seq.max}`);
  parts.push(`CACHE ${seq.cache}`);
  if (seq.cycle) parts.push('CYCLE');
  return parts.join(separator);
}

/** A dumped table as the sequence generator needs it. */
export interface OwningTable {
  itemId: string;
  qualified: string;
}

/**
 * CREATE SEQUENCE for free-standing sequences, OWNED BY as a separate item after the table (the sequence must
 * have the table's owner by then), and the ACL and comment of every sequence including identity ones.
 */
export function dumpSequences(
  ctx: DumpContext,
  sequences: SequenceInfo[],
  findTable: (oid: number) => OwningTable | undefined,
): void {
  for (const seq of sequences) {
    const id = `sequence:${seq.oid}`;
    const owningTable = seq.ownerTable === null ? undefined : findTable(seq.ownerTable);
    if (seq.identity) {
      // Created by the table's identity column; only its privileges and comment are separate.
      if (owningTable === undefined) continue;
      const comment = ctx.commentSql(`SEQUENCE ${seq.qualified}`, 'pg_class', seq.oid);
      if (comment !== '') {
        ctx.add({
          id: `${id}:comment`,
          section: 'pre-data',
          priority: Priority.table,
          schema: seq.nspname,
          name: seq.relname,
          description: `COMMENT ON SEQUENCE ${seq.qualified}`,
          render: () => comment,
          contains: [],
          after: [owningTable.itemId],
        });
      }
      addSequenceAcl(ctx, seq, owningTable.itemId);
      continue;
    }
    const sql =
      `CREATE ${seq.unlogged ? 'UNLOGGED ' : ''}SEQUENCE ${seq.qualified}\n    ${sequenceOptions(seq, '\n    ')};\n` +
      ctx.ownerSql('SEQUENCE', seq.qualified, seq.owner) +
      ctx.commentSql(`SEQUENCE ${seq.qualified}`, 'pg_class', seq.oid);
    const ownedBy = owningTable !== undefined && seq.ownerColumn !== null;
    ctx.add({
      id,
      section: 'pre-data',
      priority: Priority.table,
      schema: seq.nspname,
      name: seq.relname,
      description: `SEQUENCE ${seq.qualified}`,
      render: () => sql,
      // When OWNED BY is emitted, that item stands for the sequence in pg_depend (its row "sequence depends on
      // the column" must not pull CREATE SEQUENCE behind the table; column defaults then follow OWNED BY).
      contains: ownedBy ? [] : [catalogKey('pg_class', seq.oid)],
      after: [`schema:${seq.nspoid}`],
    });
    if (ownedBy) {
      const statement = `ALTER SEQUENCE ${seq.qualified} OWNED BY ${owningTable.qualified}.${ctx.ident(seq.ownerColumn!)};\n`;
      ctx.add({
        id: `${id}:owned-by`,
        section: 'pre-data',
        priority: Priority.table,
        schema: seq.nspname,
        name: seq.relname,
        description: `SEQUENCE OWNED BY ${seq.qualified}`,
        render: () => statement,
        contains: [catalogKey('pg_class', seq.oid)],
        after: [id, owningTable.itemId],
      });
    }
    addSequenceAcl(ctx, seq, id);
  }
}

function addSequenceAcl(ctx: DumpContext, seq: SequenceInfo, objectItemId: string): void {
  ctx.addAcl({
    objectItemId,
    objectId: `sequence:${seq.oid}`,
    type: 'SEQUENCE',
    name: seq.qualified,
    acl: seq.acl,
    baseAcl: seq.acldefault,
    owner: seq.owner,
    description: `SEQUENCE ${seq.qualified}`,
    schema: seq.nspname,
    sortName: seq.relname,
  });
}

/** `SELECT pg_catalog.setval(...)` for each sequence, with last_value and is_called read from the sequence. */
export async function sequenceValuesSql(ctx: DumpContext, sequences: SequenceInfo[]): Promise<string> {
  let sql = '';
  const batchSize = 200;
  for (let start = 0; start < sequences.length; start += batchSize) {
    const batch = sequences.slice(start, start + batchSize);
    const union = batch
      .map(
        (seq, index) => `SELECT ${index} AS i, last_value::pg_catalog.text AS v, is_called AS c FROM ${seq.qualified}`,
      )
      .join(' UNION ALL ');
    const rows = await ctx.query<{ i: number; v: string; c: boolean }>(`${union} ORDER BY 1`);
    for (const row of rows) {
      const seq = batch[row.i]!;
      sql += `SELECT pg_catalog.setval(${quoteLiteral(seq.qualified)}, ${row.v}, ${row.c});\n`;
    }
  }
  return sql;
}
