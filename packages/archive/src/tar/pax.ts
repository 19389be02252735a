/**
 * pax extended header records (POSIX.1-2001): each record is "LENGTH KEY=VALUE\n", where LENGTH is the decimal
 * byte length of the whole record including the length digits themselves.
 */
export function encodePaxRecords(records: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  for (const [key, value] of Object.entries(records)) {
    const rest = Buffer.byteLength(` ${key}=${value}\n`);
    // The length counts its own digits; adding digits can add a digit (e.g. 98 + 2 → 100), so iterate.
    let length = rest + String(rest).length;
    while (String(length).length + rest !== length) length = rest + String(length).length;
    parts.push(Buffer.from(`${length} ${key}=${value}\n`, 'utf8'));
  }
  return Buffer.concat(parts);
}

/** Parses pax records; returns null when the body is not well formed. */
export function parsePaxRecords(body: Buffer): Record<string, string> | null {
  const records: Record<string, string> = {};
  let position = 0;
  while (position < body.length) {
    if (body[position] === 0) break; // some writers pad the body with NULs
    const space = body.indexOf(0x20, position);
    if (space < 0) return null;
    const length = Number(body.toString('latin1', position, space));
    if (!Number.isInteger(length) || length <= space - position || position + length > body.length) return null;
    const record = body.toString('utf8', space + 1, position + length - 1); // drop the trailing newline
    const equals = record.indexOf('=');
    if (equals < 0 || body[position + length - 1] !== 0x0a) return null;
    records[record.slice(0, equals)] = record.slice(equals + 1);
    position += length;
  }
  return records;
}
