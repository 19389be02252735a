/**
 * Walks the data blocks of a pg_dump custom archive after its TOC (pg_backup_custom.c): each block is a type byte
 * (1 table data, 3 large objects), the Int dump id of its TOC entry, then the data as Int-length-prefixed chunks
 * ended by a zero length; a large-object block holds (Int oid, chunks) pairs ended by oid 0. The chunks of one
 * table (or one large object) form one compressed stream, which is decoded to prove it intact where node can
 * (zlib for gzip, zstd; lz4 is only walked). Every TOC entry with data must have its block, at the offset the TOC
 * records: a file cut at a block boundary is caught that way.
 */
import type { Transform } from 'node:stream';
import zlib from 'node:zlib';
import { createDecompressStream } from '@dbbackup/pipeline';
import type { ByteCursor } from './byte-cursor.js';
import { DecompressionCheck } from './decompression-check.js';
import { type PgArchiveHeader, PgDumpFormatError, readPgInt } from './pg-archive-header.js';
import { describeTocEntry, K_OFFSET_NO_DATA, K_OFFSET_POS_SET, type PgTocEntry } from './pg-archive-toc.js';

const BLK_DATA = 1;
const BLK_BLOBS = 3;

export interface CustomDataResult {
  blocks: number;
  /** Plain bytes of the table data; null when the data is lz4 (walked, not decoded). */
  plainBytes: number | null;
}

export async function walkCustomDataBlocks(
  cursor: ByteCursor,
  header: PgArchiveHeader,
  entries: readonly PgTocEntry[],
): Promise<CustomDataResult> {
  const byId = new Map(entries.map((entry) => [entry.dumpId, entry]));
  const seen = new Set<number>();
  let plainBytes: number | null = header.compression === 'lz4' ? null : 0;
  let blocks = 0;
  while (cursor.remaining > 0) {
    const at = cursor.position;
    const type = await cursor.byte('a data block header');
    const dumpId = await readPgInt(cursor, header, 'a data block header');
    const entry = byId.get(dumpId);
    if (!entry)
      throw new PgDumpFormatError(`the data block at byte ${at} names dump id ${dumpId}, which the TOC lacks`);
    const what = `the data of ${describeTocEntry(entry)}`;
    if (entry.dataState === K_OFFSET_POS_SET && entry.dataOffset !== at) {
      throw new PgDumpFormatError(`${what} is at byte ${at} but the TOC records byte ${entry.dataOffset}`);
    }
    let bytes: number | null;
    if (type === BLK_DATA) {
      bytes = await readDataStream(cursor, header, what);
    } else if (type === BLK_BLOBS) {
      bytes = 0;
      for (let oid = await readPgInt(cursor, header, what); oid !== 0; oid = await readPgInt(cursor, header, what)) {
        const large = await readDataStream(cursor, header, `large object ${oid} in ${what}`);
        bytes = large === null || bytes === null ? null : bytes + large;
      }
    } else {
      throw new PgDumpFormatError(`unknown data block type ${type} at byte ${at}: the file is damaged`);
    }
    if (plainBytes !== null && bytes !== null) plainBytes += bytes;
    seen.add(dumpId);
    blocks += 1;
  }
  const missing = entries.filter(
    (entry) => entry.hadDumper && entry.dataState !== K_OFFSET_NO_DATA && !seen.has(entry.dumpId),
  );
  if (missing.length > 0) {
    const more = missing.length > 1 ? ` (and ${missing.length - 1} more)` : '';
    throw new PgDumpFormatError(
      `the data of ${describeTocEntry(missing[0]!)}${more} is missing: the file is truncated`,
    );
  }
  return { blocks, plainBytes };
}

/** One compressed stream of chunks; returns its plain size (null for lz4, which is only walked). */
async function readDataStream(cursor: ByteCursor, header: PgArchiveHeader, what: string): Promise<number | null> {
  const decoder = decoderFor(header);
  const check = decoder ? new DecompressionCheck(decoder) : undefined;
  let rawBytes = 0;
  for (
    let length = await readPgInt(cursor, header, what);
    length !== 0;
    length = await readPgInt(cursor, header, what)
  ) {
    if (length < 0 || length > cursor.remaining) {
      throw new PgDumpFormatError(
        `${what} has a chunk of ${length} bytes at byte ${cursor.position}: the file is truncated or damaged`,
      );
    }
    const chunk = await cursor.bytes(length, what);
    rawBytes += length;
    await check?.write(chunk);
  }
  if (!check) return header.compression === 'none' ? rawBytes : null;
  try {
    return await check.end();
  } catch (error) {
    throw new PgDumpFormatError(`${what} does not decompress (${(error as Error).message}): the file is damaged`);
  }
}

function decoderFor(header: PgArchiveHeader): Transform | undefined {
  // Custom archives hold zlib streams (deflateInit), not gzip files.
  if (header.compression === 'gzip') return zlib.createInflate();
  if (header.compression === 'zstd') return createDecompressStream('zstd');
  return undefined;
}
