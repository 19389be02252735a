/**
 * The data member format: exactly what `LOAD DATA ... CHARACTER SET binary FIELDS TERMINATED BY '\t'
 * ESCAPED BY '\\' LINES TERMINATED BY '\n'` reads (no ENCLOSED BY). One row per line, fields separated by a tab,
 * NULL written as `\N`, and the bytes LOAD DATA would otherwise take as structure escaped with a backslash: NUL
 * `\0`, tab `\t`, newline `\n`, carriage return `\r`, backslash `\\`, and Ctrl-Z `\Z` (harmless, but some tools
 * stop reading a file at it). Every other byte is copied as is: values are the server's exact text (numbers,
 * dates) or the column's raw bytes (strings in their own character set, binary strings, BIT, spatial WKB).
 */

const BACKSLASH = 0x5c;
export const FIELD_SEPARATOR = 0x09;
export const LINE_TERMINATOR = 0x0a;

/** For each byte, the letter written after a backslash, or 0 when the byte is copied unchanged. */
export const ESCAPES: Uint8Array = (() => {
  const table = new Uint8Array(256);
  table[0x00] = 0x30; // '0'
  table[0x09] = 0x74; // 't'
  table[0x0a] = 0x6e; // 'n'
  table[0x0d] = 0x72; // 'r'
  table[0x1a] = 0x5a; // 'Z'
  table[BACKSLASH] = BACKSLASH;
  return table;
})();

/** The LOAD DATA clauses that read this format (used verbatim by restore and in the README). */
export const LOAD_DATA_FORMAT_CLAUSES =
  "CHARACTER SET binary FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n'";

/** Largest output a protocol row of `length` bytes can encode to (a 1-byte NULL becomes `\N` plus a separator). */
export function maxEncodedLength(length: number): number {
  return 3 * length + 1;
}

/**
 * Counts ENUM error values (see select-list.ts) while encoding: `fields[i]` is the length of the zero token ('0',
 * '00', ...) of an ENUM column selected with one, else 0; `count` grows for each such field holding its token.
 */
export interface EnumTokenCounter {
  fields: Uint8Array;
  count: number;
}

/**
 * Encodes one text-protocol result row (a sequence of length-encoded strings, 0xfb for NULL) from
 * source[start, end) into out at offset `at`, without the line terminator. Returns the offset after the row.
 * `out` must have maxEncodedLength(end - start) bytes free. No allocation; this is the backup's hot loop.
 */
export function encodeProtocolRow(
  source: Uint8Array,
  start: number,
  end: number,
  out: Uint8Array,
  at: number,
  tokens: EnumTokenCounter | null = null,
): number {
  let p = start;
  let o = at;
  let field = -1;
  while (p < end) {
    field++;
    if (field > 0) out[o++] = FIELD_SEPARATOR;
    const lead = source[p++]!;
    let length: number;
    if (lead < 0xfb) {
      length = lead;
    } else if (lead === 0xfb) {
      out[o++] = BACKSLASH;
      out[o++] = 0x4e; // 'N'
      continue;
    } else if (lead === 0xfc) {
      length = source[p]! | (source[p + 1]! << 8);
      p += 2;
    } else if (lead === 0xfd) {
      length = source[p]! | (source[p + 1]! << 8) | (source[p + 2]! << 16);
      p += 3;
    } else {
      // 0xfe: 8-byte length (a value of 16 MiB or more; the packet parser joined the split packets).
      length =
        (source[p]! | (source[p + 1]! << 8) | (source[p + 2]! << 16)) +
        source[p + 3]! * 0x1000000 +
        (source[p + 4]! | (source[p + 5]! << 8) | (source[p + 6]! << 16)) * 0x100000000;
      p += 8;
    }
    const fieldEnd = p + length;
    if (tokens !== null && tokens.fields[field] === length && length > 0 && isZeroToken(source, p, fieldEnd)) {
      tokens.count++;
    }
    for (; p < fieldEnd; p++) {
      const byte = source[p]!;
      const letter = ESCAPES[byte]!;
      if (letter === 0) {
        out[o++] = byte;
      } else {
        out[o++] = BACKSLASH;
        out[o++] = letter;
      }
    }
  }
  return o;
}

function isZeroToken(source: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (source[i] !== 0x30) return false;
  return true;
}
