/**
 * A small scanner for the SQL that `SHOW CREATE ...` prints under `sql_mode = ''`: it steps over backtick
 * identifiers, single- and double-quoted strings (with backslash escapes and doubled quotes) and comments, so
 * callers can look for keywords, commas and parentheses at the top level only.
 */

/** Index just past the quoted token that starts at `start` (a backtick, `'` or `"`), or text.length if unclosed. */
export function skipQuoted(text: string, start: number): number {
  const quote = text[start];
  let index = start + 1;
  while (index < text.length) {
    const character = text[index];
    if (character === '\\' && quote !== '`') {
      index += 2;
      continue;
    }
    if (character === quote) {
      if (text[index + 1] === quote) {
        index += 2;
        continue;
      }
      return index + 1;
    }
    index += 1;
  }
  return text.length;
}

/** Index just past a comment starting at `start` (`/*`, `-- ` or `#`), or `start` when none starts there. */
export function skipComment(text: string, start: number): number {
  if (text.startsWith('/*', start)) {
    const end = text.indexOf('*/', start + 2);
    return end === -1 ? text.length : end + 2;
  }
  if (text.startsWith('-- ', start) || text[start] === '#') {
    const end = text.indexOf('\n', start);
    return end === -1 ? text.length : end + 1;
  }
  return start;
}

export interface ScannedToken {
  /** Backtick identifiers, quoted strings, bare words and numbers, and single-character symbols. */
  type: 'identifier' | 'string' | 'word' | 'symbol';
  text: string;
  start: number;
  end: number;
}

const WORD_CHARACTER = /[\p{L}\p{N}_$]/u;

/** Splits SQL into tokens, dropping whitespace and comments (MySQL's versioned `/*!...*\/` comments included). */
export function tokenize(text: string): ScannedToken[] {
  const tokens: ScannedToken[] = [];
  let index = 0;
  while (index < text.length) {
    const character = text[index] as string;
    if (/\s/.test(character)) {
      index += 1;
      continue;
    }
    const afterComment = skipComment(text, index);
    if (afterComment !== index) {
      index = afterComment;
      continue;
    }
    if (character === '`' || character === "'" || character === '"') {
      const end = skipQuoted(text, index);
      tokens.push({
        type: character === '`' ? 'identifier' : 'string',
        text: text.slice(index, end),
        start: index,
        end,
      });
      index = end;
      continue;
    }
    if (WORD_CHARACTER.test(character)) {
      let end = index + 1;
      while (end < text.length && WORD_CHARACTER.test(text[end] as string)) end += 1;
      tokens.push({ type: 'word', text: text.slice(index, end), start: index, end });
      index = end;
      continue;
    }
    tokens.push({ type: 'symbol', text: character, start: index, end: index + 1 });
    index += 1;
  }
  return tokens;
}

/** The raw name inside a backtick-quoted identifier token. */
export function unquoteIdentifier(token: string): string {
  if (!token.startsWith('`')) return token;
  return token.slice(1, -1).replaceAll('``', '`');
}

/** The value of a single- or double-quoted string literal as SHOW CREATE prints it. */
export function unquoteString(token: string): string {
  const quote = token[0];
  const body = token.slice(1, -1);
  let value = '';
  for (let index = 0; index < body.length; index += 1) {
    const character = body[index] as string;
    if (character === '\\') {
      const next = body[index + 1] ?? '';
      index += 1;
      value += BACKSLASH_ESCAPES[next] ?? next;
      continue;
    }
    if (character === quote && body[index + 1] === quote) index += 1;
    value += character;
  }
  return value;
}

const BACKSLASH_ESCAPES: Record<string, string> = {
  '0': '\0',
  b: '\b',
  n: '\n',
  r: '\r',
  t: '\t',
  Z: '\x1a',
};
