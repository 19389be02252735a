import type { MysqlColumnInfo } from '../schema/index.js';

/**
 * How one selected value is written as an SQL literal. The values arrive as the raw row reader delivers them (the
 * server's exact text for numbers and dates, the column's own bytes for strings, binary strings, BIT and spatial
 * values, see backup/select-list.ts), and each kind is written so the server stores exactly what LOAD DATA would:
 * - bare: integers and DECIMAL, whose text is an exact numeric literal.
 * - quoted: FLOAT (read as DOUBLE), DOUBLE, dates and times: their ASCII text in quotes, converted by the server as
 *   LOAD DATA converts it (a bare `-0` would be the integer 0; quoted it stays the double -0).
 * - hex: every other value as `_charset X'...'` in the column's own character set (`_binary` for binary strings,
 *   BIT, spatial values, INET/UUID native forms): no client or connection conversion, and bytes that are not valid
 *   in the character set are stored unchanged, as LOAD DATA ... CHARACTER SET binary stores them.
 */
export type LiteralKind = { kind: 'bare' } | { kind: 'quoted' } | { kind: 'hex'; introducer: string };

const BARE_TYPES = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'integer', 'bigint', 'decimal', 'numeric']);
const QUOTED_TYPES = new Set(['float', 'double', 'real', 'date', 'datetime', 'timestamp', 'time', 'year']);

export function literalKind(column: MysqlColumnInfo): LiteralKind {
  if (BARE_TYPES.has(column.dataType)) return { kind: 'bare' };
  if (QUOTED_TYPES.has(column.dataType)) return { kind: 'quoted' };
  return { kind: 'hex', introducer: `_${column.characterSet ?? 'binary'}` };
}

/** Text bytes that are safe as a bare or quoted literal: digits, letters, sign, point, colon, space. */
function isPlainText(source: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const byte = source[i]!;
    const plain =
      (byte >= 0x30 && byte <= 0x3a) || // 0-9 :
      (byte >= 0x41 && byte <= 0x5a) || // A-Z
      (byte >= 0x61 && byte <= 0x7a) || // a-z
      byte === 0x2b || // +
      byte === 0x2d || // -
      byte === 0x2e || // .
      byte === 0x20; // space
    if (!plain) return false;
  }
  return end > start;
}

/**
 * Appends the literals of one text-protocol row (length-encoded values, 0xfb for NULL) from source[start, end) to
 * `parts` as `(v1,v2,...)`; `kinds[i]` says how field i is written. Returns the number of characters appended.
 */
export function appendRowLiterals(
  source: Buffer,
  start: number,
  end: number,
  kinds: readonly LiteralKind[],
  parts: string[],
): number {
  let p = start;
  let field = -1;
  let length = 1;
  parts.push('(');
  while (p < end) {
    field++;
    if (field > 0) {
      parts.push(',');
      length++;
    }
    const lead = source[p++]!;
    let size: number;
    if (lead < 0xfb) {
      size = lead;
    } else if (lead === 0xfb) {
      parts.push('NULL');
      length += 4;
      continue;
    } else if (lead === 0xfc) {
      size = source[p]! | (source[p + 1]! << 8);
      p += 2;
    } else if (lead === 0xfd) {
      size = source[p]! | (source[p + 1]! << 8) | (source[p + 2]! << 16);
      p += 3;
    } else {
      size =
        (source[p]! | (source[p + 1]! << 8) | (source[p + 2]! << 16)) +
        source[p + 3]! * 0x1000000 +
        (source[p + 4]! | (source[p + 5]! << 8) | (source[p + 6]! << 16)) * 0x100000000;
      p += 8;
    }
    const valueEnd = p + size;
    const kind = kinds[field] ?? { kind: 'hex', introducer: '_binary' };
    let literal: string;
    if (kind.kind !== 'hex' && isPlainText(source, p, valueEnd)) {
      const text = source.toString('latin1', p, valueEnd);
      literal = kind.kind === 'bare' ? text : `'${text}'`;
    } else {
      const introducer = kind.kind === 'hex' ? kind.introducer : '_binary';
      literal = `${introducer} X'${source.toString('hex', p, valueEnd)}'`;
    }
    parts.push(literal);
    length += literal.length;
    p = valueEnd;
  }
  parts.push(')');
  return length + 1;
}
