/**
 * The table of contents that follows the header, read as pg_dump's ReadToc() does: an Int entry count, then per
 * entry dumpId, hadDumper, [1.8+] table oid, oid, tag, desc, [1.11+] section, defn, dropStmt, [1.3+] copyStmt,
 * [1.6+] namespace, [1.10+] tablespace, [1.14+] table access method, [1.16+] relkind (Int), owner,
 * [1.9+] "with oids", [1.5+] dependency Strs up to a NULL, and the format's own extra fields: the data offset in
 * the custom format (pg_backup_custom.c _ReadExtraToc), a file name in the directory and tar formats.
 */
import type { ByteCursor } from './byte-cursor.js';
import {
  K_VERS_1_3,
  K_VERS_1_5,
  K_VERS_1_6,
  K_VERS_1_7,
  K_VERS_1_8,
  K_VERS_1_9,
  K_VERS_1_10,
  K_VERS_1_11,
  K_VERS_1_14,
  K_VERS_1_16,
  type PgArchiveHeader,
  PgDumpFormatError,
  readPgInt,
  readPgString,
} from './pg-archive-header.js';

/** Where a custom-format entry's data block is (pg_backup_archiver.h K_OFFSET_*). */
export const K_OFFSET_POS_NOT_SET = 1;
export const K_OFFSET_POS_SET = 2;
export const K_OFFSET_NO_DATA = 3;

export interface PgTocEntry {
  dumpId: number;
  hadDumper: boolean;
  tag: string | null;
  desc: string | null;
  namespace: string | null;
  /** Custom format: K_OFFSET_* and the data block's file offset when POS_SET. */
  dataState?: number;
  dataOffset?: number;
  /** Directory and tar formats: the data file's name (without a compression suffix). */
  filename?: string | null;
}

/** Entries beyond this are taken for a damaged count rather than allocated. */
const MAX_TOC_ENTRIES = 50_000_000;

export async function readPgToc(
  cursor: ByteCursor,
  header: PgArchiveHeader,
  extra: 'custom' | 'filename',
): Promise<PgTocEntry[]> {
  const int = (what: string) => readPgInt(cursor, header, what);
  const str = (what: string) => readPgString(cursor, header, what);
  const count = await int('the TOC entry count');
  if (count < 0 || count > MAX_TOC_ENTRIES) throw new PgDumpFormatError(`the TOC claims ${count} entries`);
  const entries: PgTocEntry[] = [];
  for (let index = 0; index < count; index++) {
    const what = `TOC entry ${index + 1} of ${count}`;
    const dumpId = await int(what);
    if (dumpId <= 0) throw new PgDumpFormatError(`${what} has dump id ${dumpId}: the TOC is damaged`);
    const hadDumper = (await int(what)) !== 0;
    if (header.version >= K_VERS_1_8) await str(what);
    await str(what);
    const tag = await str(what);
    const desc = await str(what);
    if (header.version >= K_VERS_1_11) await int(what);
    await str(what);
    await str(what);
    if (header.version >= K_VERS_1_3) await str(what);
    const namespace = header.version >= K_VERS_1_6 ? await str(what) : null;
    if (header.version >= K_VERS_1_10) await str(what);
    if (header.version >= K_VERS_1_14) await str(what);
    if (header.version >= K_VERS_1_16) await int(what);
    await str(what);
    if (header.version >= K_VERS_1_9) await str(what);
    if (header.version >= K_VERS_1_5) {
      while ((await str(`the dependencies of ${what}`)) !== null) {
        // dependency ids are not needed to check the file
      }
    }
    const entry: PgTocEntry = { dumpId, hadDumper, tag, desc, namespace };
    if (extra === 'custom') Object.assign(entry, await readDataOffset(cursor, header, what));
    else entry.filename = await str(`the file name of ${what}`);
    entries.push(entry);
  }
  return entries;
}

async function readDataOffset(
  cursor: ByteCursor,
  header: PgArchiveHeader,
  what: string,
): Promise<{ dataState: number; dataOffset?: number }> {
  if (header.version < K_VERS_1_7) {
    const offset = await readPgInt(cursor, header, what);
    await readPgInt(cursor, header, what); // the data size, written before 1.7
    if (offset < 0) return { dataState: K_OFFSET_POS_NOT_SET };
    if (offset === 0) return { dataState: K_OFFSET_NO_DATA };
    return { dataState: K_OFFSET_POS_SET, dataOffset: offset };
  }
  const dataState = await cursor.byte(what);
  if (dataState < K_OFFSET_POS_NOT_SET || dataState > K_OFFSET_NO_DATA) {
    throw new PgDumpFormatError(`${what} has data offset flag ${dataState}: the TOC is damaged`);
  }
  const bytes = await cursor.bytes(header.offSize, what);
  let offset = 0;
  for (let index = bytes.length - 1; index >= 0; index--) offset = offset * 256 + bytes[index]!;
  return dataState === K_OFFSET_POS_SET ? { dataState, dataOffset: offset } : { dataState };
}

/** `TABLE DATA public.users (dump id 3342)` for messages. */
export function describeTocEntry(entry: PgTocEntry): string {
  const name = entry.namespace ? `${entry.namespace}.${entry.tag ?? ''}` : (entry.tag ?? '');
  return `${entry.desc ?? 'entry'} ${name} (dump id ${entry.dumpId})`.replace(/\s+/g, ' ');
}
