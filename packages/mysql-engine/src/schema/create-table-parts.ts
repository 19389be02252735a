import { MysqlCreateTableParseError } from './errors.js';
import { skipComment, skipQuoted, tokenize, unquoteIdentifier } from './sql-scanner.js';

export type CreateTableElementKind =
  | 'column'
  | 'primary-key'
  | 'unique-key'
  | 'key'
  | 'fulltext-key'
  | 'spatial-key'
  | 'other-key'
  | 'constraint'
  | 'other';

/** One comma-separated definition between the parentheses of `CREATE TABLE name (...)`. */
export interface CreateTableElement {
  kind: CreateTableElementKind;
  /** Raw column or index name; null for PRIMARY KEY and unnamed constraints. */
  name: string | null;
  /** The definition exactly as printed, without the separating comma and surrounding whitespace. */
  text: string;
}

/** `SHOW CREATE TABLE` output cut into the part before the definitions, the definitions, and the table options. */
export interface CreateTableParts {
  /** `CREATE TABLE \`t\` (` */
  head: string;
  elements: CreateTableElement[];
  /** `) ENGINE=... PARTITION BY ...` */
  tail: string;
}

export function splitCreateTable(table: string, sql: string): CreateTableParts {
  const open = findOpeningParenthesis(sql);
  if (open === -1) throw new MysqlCreateTableParseError(table, 'no opening parenthesis');
  const elements: CreateTableElement[] = [];
  let depth = 1;
  let elementStart = open + 1;
  let index = open + 1;
  while (index < sql.length) {
    const character = sql[index];
    if (character === '`' || character === "'" || character === '"') {
      index = skipQuoted(sql, index);
      continue;
    }
    const afterComment = skipComment(sql, index);
    if (afterComment !== index) {
      index = afterComment;
      continue;
    }
    if (character === '(') depth += 1;
    else if (character === ')') {
      depth -= 1;
      if (depth === 0) {
        pushElement(elements, sql.slice(elementStart, index));
        return { head: sql.slice(0, open + 1), elements, tail: sql.slice(index) };
      }
    } else if (character === ',' && depth === 1) {
      pushElement(elements, sql.slice(elementStart, index));
      elementStart = index + 1;
    }
    index += 1;
  }
  throw new MysqlCreateTableParseError(table, 'unbalanced parentheses');
}

/** The statement rebuilt from its parts, formatted as SHOW CREATE TABLE prints it. */
export function joinCreateTable(parts: CreateTableParts): string {
  return `${parts.head}\n${parts.elements.map((element) => `  ${element.text}`).join(',\n')}\n${parts.tail}`;
}

function findOpeningParenthesis(sql: string): number {
  let index = 0;
  while (index < sql.length) {
    const character = sql[index];
    if (character === '`' || character === "'" || character === '"') {
      index = skipQuoted(sql, index);
      continue;
    }
    if (character === '(') return index;
    index += 1;
  }
  return -1;
}

function pushElement(elements: CreateTableElement[], raw: string): void {
  const text = raw.trim();
  if (text !== '') elements.push(classify(text));
}

const KEY_KINDS: Record<string, CreateTableElementKind> = {
  UNIQUE: 'unique-key',
  FULLTEXT: 'fulltext-key',
  SPATIAL: 'spatial-key',
};

function classify(text: string): CreateTableElement {
  const tokens = tokenize(text.slice(0, 400));
  const first = tokens[0];
  if (!first) return { kind: 'other', name: null, text };
  if (first.type === 'identifier') return { kind: 'column', name: unquoteIdentifier(first.text), text };
  const word = first.text.toUpperCase();
  if (word === 'PRIMARY') return { kind: 'primary-key', name: null, text };
  if (word === 'KEY' || word === 'INDEX') return { kind: 'key', name: nameAfter(tokens, 1), text };
  const second = tokens[1]?.text.toUpperCase();
  if (second === 'KEY' || second === 'INDEX') {
    return { kind: KEY_KINDS[word] ?? 'other-key', name: nameAfter(tokens, 2), text };
  }
  if (word === 'CONSTRAINT' || word === 'CHECK' || word === 'FOREIGN') {
    return { kind: 'constraint', name: word === 'CONSTRAINT' ? nameAfter(tokens, 1) : null, text };
  }
  return { kind: 'other', name: null, text };
}

function nameAfter(tokens: ReturnType<typeof tokenize>, position: number): string | null {
  const token = tokens[position];
  return token?.type === 'identifier' ? unquoteIdentifier(token.text) : null;
}
