import type { Connection, RowDataPacket } from 'mysql2/promise';
import type { CatalogColumn } from './catalog.js';
import type { CreateTableElement } from './create-table-parts.js';
import { quoteIdentifier, quoteString } from './quote.js';
import { tokenize, unquoteString } from './sql-scanner.js';
import type { MysqlServerInfo } from './types.js';

/**
 * MariaDB builds SHOW CREATE TABLE (and information_schema.COLUMNS) in utf8mb3, so characters outside the Basic
 * Multilingual Plane (emoji) in ENUM/SET members and literal DEFAULTs of utf8mb4 columns come out as '?', although
 * the table holds the real characters: replaying that text would create a different column, and rows holding
 * those values would not load. mariadb-dump has the same loss (and its output cannot show it). These columns are
 * rewritten from what the server really holds, with read-only queries, so it works inside the backup's
 * `READ ONLY` snapshot transaction:
 * - members: an anonymous block declares one variable `TYPE OF table.column` per member and assigns it the
 *   member's index (ENUM) or bit (SET), which the server turns into the member itself (MariaDB 10.3+);
 * - defaults: `DEFAULT(column)` over a LEFT JOIN that matches nothing (nullable columns), else over the table's
 *   first row; for ENUM/SET the printed default is also matched against the true members.
 */

const SUPPLEMENTARY_CAPABLE = /^(utf8mb4|utf16|utf16le|utf32)$/i;
const OUTSIDE_BMP = /[\u{10000}-\u{10FFFF}]/gu;

export function needsSupplementaryRepair(column: CatalogColumn): boolean {
  if (column.characterSet === null || !SUPPLEMENTARY_CAPABLE.test(column.characterSet)) return false;
  return (isEnumOrSet(column) && column.columnType.includes('?')) || (column.columnDefault?.includes('?') ?? false);
}

/**
 * Rewrites the definitions of `columns` (picked by `needsSupplementaryRepair`) inside `elements`. Returns one
 * warning per column whose true members or default could not be read; those stay as printed.
 */
export async function repairSupplementaryCharacters(
  connection: Connection,
  server: MysqlServerInfo,
  table: string,
  columns: CatalogColumn[],
  elements: CreateTableElement[],
): Promise<string[]> {
  const warnings: string[] = [];
  const lossyMembers = columns.filter((column) => isEnumOrSet(column) && column.columnType.includes('?'));
  const members =
    server.flavor === 'mariadb' && lossyMembers.length > 0
      ? await readMembers(connection, table, lossyMembers)
      : new Map<string, string[]>();
  for (const [position, element] of elements.entries()) {
    const column = columns.find((candidate) => element.kind === 'column' && candidate.name === element.name);
    if (!column) continue;
    const label = `column ${quoteIdentifier(table)}.${quoteIdentifier(column.name)}`;
    const trueMembers = members.get(column.name) ?? null;
    if (lossyMembers.includes(column) && trueMembers === null) {
      warnings.push(`${label} has ENUM/SET members that SHOW CREATE TABLE prints as '?'; restored as printed`);
    }
    const rewritten = await rewriteDefinition(connection, table, column, element.text, trueMembers);
    if (rewritten.defaultLost) {
      warnings.push(`${label} has a DEFAULT that SHOW CREATE TABLE prints with '?'; restored as printed`);
    }
    elements[position] = { ...element, text: rewritten.text };
  }
  return warnings;
}

function isEnumOrSet(column: CatalogColumn): boolean {
  return column.dataType === 'enum' || column.dataType === 'set';
}

async function rewriteDefinition(
  connection: Connection,
  table: string,
  column: CatalogColumn,
  definition: string,
  members: string[] | null,
): Promise<{ text: string; defaultLost: boolean }> {
  const tokens = tokenize(definition);
  const replacements: Array<{ start: number; end: number; text: string }> = [];
  const open = tokens[2];
  if (members && open?.text === '(') {
    const closing = tokens.find((token, index) => index > 2 && token.text === ')');
    if (closing) {
      replacements.push({ start: open.start, end: closing.end, text: `(${members.map(quoteString).join(',')})` });
    }
  }
  let defaultLost = false;
  const defaultIndex = tokens.findIndex((token) => token.type === 'word' && token.text.toUpperCase() === 'DEFAULT');
  const literal = defaultIndex === -1 ? undefined : tokens[defaultIndex + 1];
  if (literal?.type === 'string' && literal.text.includes('?')) {
    const value =
      (await readDefault(connection, table, column.name)) ??
      (members ? matchPrintedDefault(unquoteString(literal.text), members, column.dataType === 'set') : null);
    if (value === null) defaultLost = true;
    else replacements.push({ start: literal.start, end: literal.end, text: quoteString(value) });
  }
  let text = definition;
  for (const replacement of replacements.sort((a, b) => b.start - a.start)) {
    text = text.slice(0, replacement.start) + replacement.text + text.slice(replacement.end);
  }
  return { text, defaultLost };
}

/** The true members of each column, from one anonymous block: one `TYPE OF` variable per member. */
async function readMembers(
  connection: Connection,
  table: string,
  columns: CatalogColumn[],
): Promise<Map<string, string[]>> {
  const declarations: string[] = [];
  const assignments: string[] = [];
  const selected: string[] = [];
  const counts: number[] = [];
  for (const [columnIndex, column] of columns.entries()) {
    const count = tokenize(column.columnType).filter((token) => token.type === 'string').length;
    counts.push(count);
    for (let member = 0; member < count; member += 1) {
      const variable = `m${columnIndex}_${member}`;
      const value = column.dataType === 'enum' ? String(member + 1) : (1n << BigInt(member)).toString();
      declarations.push(`DECLARE ${variable} TYPE OF ${quoteIdentifier(table)}.${quoteIdentifier(column.name)};`);
      assignments.push(`SET ${variable} = ${value};`);
      selected.push(variable);
    }
  }
  const block = `BEGIN NOT ATOMIC ${declarations.join(' ')} ${assignments.join(' ')} SELECT ${selected.join(', ')}; END`;
  const [result] = await connection.query<RowDataPacket[][]>(block);
  const row = (Array.isArray(result[0]) ? result[0][0] : result[0]) as RowDataPacket | undefined;
  const members = new Map<string, string[]>();
  if (!row) return members;
  for (const [columnIndex, column] of columns.entries()) {
    const values = Array.from({ length: counts[columnIndex] ?? 0 }, (_, member) => row[`m${columnIndex}_${member}`]);
    if (values.every((value) => typeof value === 'string')) members.set(column.name, values as string[]);
  }
  return members;
}

/** A column's default without a write: DEFAULT() over an unmatched LEFT JOIN (nullable columns) or a real row. */
async function readDefault(connection: Connection, table: string, column: string): Promise<string | null> {
  const quotedColumn = quoteIdentifier(column);
  const quotedTable = quoteIdentifier(table);
  for (const sql of [
    `SELECT DEFAULT(t.${quotedColumn}) AS value FROM (SELECT 1) AS one LEFT JOIN ${quotedTable} AS t ON FALSE`,
    `SELECT DEFAULT(${quotedColumn}) AS value FROM ${quotedTable} LIMIT 1`,
  ]) {
    const [rows] = await connection.query<RowDataPacket[]>(sql);
    const value = rows[0]?.value;
    if (value !== null && value !== undefined) return String(value);
  }
  return null;
}

/** The member(s) that print as `printed` (a SET default is a comma list); null when not exactly one matches. */
function matchPrintedDefault(printed: string, members: string[], isSet: boolean): string | null {
  const parts = isSet && printed !== '' ? printed.split(',') : [printed];
  const matched: string[] = [];
  for (const part of parts) {
    const candidates = members.filter((member) => member.replace(OUTSIDE_BMP, '?') === part);
    if (candidates.length !== 1) return null;
    matched.push(candidates[0] as string);
  }
  return matched.join(',');
}
