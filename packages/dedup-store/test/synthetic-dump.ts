/**
 * Synthetic database dumps: INSERT lines of an orders-like table in primary-key order, as pg_dump / mysqldump write
 * them. A row's text is a pure function of (id, version), so a "day" of OLTP activity is a small edit of the
 * table state: new rows appended, a range deleted, a hot range updated (version bumped).
 */
export interface TableState {
  maxId: number;
  deleted: Array<[number, number]>;
  versions: Map<number, number>;
}

const WORDS =
  'order shipped delivered returned customer support refund invoice payment pending failed retry warehouse berlin paris london tokyo express standard gift fragile priority discount coupon'.split(
    ' ',
  );
const STATUSES = ['new', 'paid', 'shipped', 'delivered', 'cancelled', 'refunded'];

function mix(value: number): number {
  let x = value | 0;
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
  return (x ^ (x >>> 16)) >>> 0;
}

export function rowText(id: number, version: number): string {
  const a = mix(id * 7919 + version * 104729);
  const b = mix(a + 1);
  const c = mix(b + 2);
  const day = 1 + (a % 28);
  const note = `${WORDS[a % WORDS.length]} ${WORDS[b % WORDS.length]} ${WORDS[c % WORDS.length]}`;
  return `INSERT INTO public.orders VALUES (${id}, ${b % 50000}, '${STATUSES[(c + version) % STATUSES.length]}', ${(a % 100000) / 100}, '2026-03-${String(day).padStart(2, '0')} ${String(b % 24).padStart(2, '0')}:${String(c % 60).padStart(2, '0')}:00', '${note}', '${a.toString(16)}${c.toString(16)}');\n`;
}

export function initialTable(rows: number): TableState {
  return { maxId: rows, deleted: [], versions: new Map() };
}

function isDeleted(state: TableState, id: number): boolean {
  return state.deleted.some(([from, to]) => id >= from && id <= to);
}

/** Rows as first inserted (version 0), rendered once: building the text dominates a test's time otherwise. */
const originalRows: Buffer[] = [];

function originalRow(id: number): Buffer {
  let row = originalRows[id];
  if (!row) {
    row = Buffer.from(rowText(id, 0), 'utf8');
    originalRows[id] = row;
  }
  return row;
}

export function renderDump(state: TableState): Buffer {
  const pieces: Buffer[] = [Buffer.from('-- synthetic dump\nBEGIN;\n')];
  for (let id = 1; id <= state.maxId; id++) {
    if (isDeleted(state, id)) continue;
    const version = state.versions.get(id) ?? 0;
    pieces.push(version === 0 ? originalRow(id) : Buffer.from(rowText(id, version), 'utf8'));
  }
  pieces.push(Buffer.from('COMMIT;\n'));
  return Buffer.concat(pieces);
}

/**
 * One day of OLTP: `appendRows` new orders, a deleted range of `deleteRows` and `updateRows` consecutive updated
 * rows (the "hot" recent range), positions chosen from `day` so every day differs.
 */
export function applyDay(
  state: TableState,
  day: number,
  change: { appendRows: number; deleteRows: number; updateRows: number },
): TableState {
  const next: TableState = { maxId: state.maxId, deleted: [...state.deleted], versions: new Map(state.versions) };
  const deleteFrom = 1 + (mix(day * 31) % Math.max(1, state.maxId - change.deleteRows));
  next.deleted.push([deleteFrom, deleteFrom + change.deleteRows - 1]);
  const hotFrom = Math.max(1, state.maxId - 5 * change.updateRows - (mix(day * 17) % change.updateRows));
  for (let id = hotFrom; id < hotFrom + change.updateRows; id++)
    next.versions.set(id, (next.versions.get(id) ?? 0) + 1);
  next.maxId += change.appendRows;
  return next;
}
