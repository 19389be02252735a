/**
 * The header of a pg_dump archive (custom format, and toc.dat of the directory and tar formats), read the way
 * pg_dump's ReadHead() does (src/bin/pg_dump/pg_backup_archiver.c):
 *
 *   "PGDMP", major, minor, [rev if version > 1.0], intSize, [offSize if >= 1.7], format,
 *   compression: [1.15+] one byte algorithm | [1.4+] Int level | [1.2+] one byte level,
 *   [1.4+] seven Ints of a struct tm (sec, min, hour, mday, mon, year, isdst) and Str database name,
 *   [1.10+] Str server version, Str pg_dump version.
 *
 * An Int is a sign byte (from 1.1 on) followed by intSize bytes, least significant first; a Str is an Int length
 * (-1 for NULL) followed by that many bytes.
 */
import type { ByteCursor } from './byte-cursor.js';

export const PG_DUMP_MAGIC = Buffer.from('PGDMP', 'latin1');

export const archiveVersion = (major: number, minor: number, revision: number) =>
  (major << 16) | (minor << 8) | revision;
export const K_VERS_1_0 = archiveVersion(1, 0, 0);
export const K_VERS_1_2 = archiveVersion(1, 2, 0);
export const K_VERS_1_3 = archiveVersion(1, 3, 0);
export const K_VERS_1_4 = archiveVersion(1, 4, 0);
export const K_VERS_1_5 = archiveVersion(1, 5, 0);
export const K_VERS_1_6 = archiveVersion(1, 6, 0);
export const K_VERS_1_7 = archiveVersion(1, 7, 0);
export const K_VERS_1_8 = archiveVersion(1, 8, 0);
export const K_VERS_1_9 = archiveVersion(1, 9, 0);
export const K_VERS_1_10 = archiveVersion(1, 10, 0);
export const K_VERS_1_11 = archiveVersion(1, 11, 0);
export const K_VERS_1_14 = archiveVersion(1, 14, 0);
export const K_VERS_1_15 = archiveVersion(1, 15, 0);
export const K_VERS_1_16 = archiveVersion(1, 16, 0);
/** The newest archive version this reader knows the layout of (pg_dump 17 and 18 write 1.16). */
export const K_VERS_MAX = archiveVersion(1, 16, 255);

/** The format byte: 1 custom, 3 tar (also written into a directory dump's toc.dat), 5 directory. */
export const PG_FORMAT_CUSTOM = 1;
export const PG_FORMAT_TAR = 3;

const COMPRESSION_ALGORITHMS = ['none', 'gzip', 'lz4', 'zstd'] as const;
export type PgCompression = (typeof COMPRESSION_ALGORITHMS)[number];

/** Bytes that do not follow the pg_dump archive layout (a damaged file, or not really a pg_dump archive). */
export class PgDumpFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PgDumpFormatError';
  }
}

export interface PgArchiveHeader {
  /** MAKE_ARCHIVE_VERSION(major, minor, rev). */
  version: number;
  versionText: string;
  intSize: number;
  offSize: number;
  format: number;
  compression: PgCompression;
  /** Before 1.15 the header records a zlib level (-1 = default, 0 = none); from 1.15 only the algorithm. */
  compressionLevel: number | null;
  createdAt: string | null;
  database: string | null;
  serverVersion: string | null;
  pgDumpVersion: string | null;
}

/** Reads pg_dump's Int: a sign byte, then intSize bytes, least significant first. */
export async function readPgInt(
  cursor: ByteCursor,
  header: Pick<PgArchiveHeader, 'version' | 'intSize'>,
  what: string,
) {
  const sign = header.version > K_VERS_1_0 ? await cursor.byte(what) : 0;
  const bytes = await cursor.bytes(header.intSize, what);
  let value = 0;
  for (let index = bytes.length - 1; index >= 0; index--) value = value * 256 + bytes[index]!;
  if (!Number.isSafeInteger(value)) throw new PgDumpFormatError(`${what} at byte ${cursor.position} is out of range`);
  return sign === 0 ? value : -value;
}

/** Reads pg_dump's Str: an Int length (negative for NULL), then the bytes. */
export async function readPgString(
  cursor: ByteCursor,
  header: Pick<PgArchiveHeader, 'version' | 'intSize'>,
  what: string,
): Promise<string | null> {
  const length = await readPgInt(cursor, header, `the length of ${what}`);
  if (length < 0) return null;
  if (length > cursor.remaining) {
    throw new PgDumpFormatError(
      `${what} at byte ${cursor.position} claims ${length} bytes but only ${cursor.remaining} remain: the file is truncated or damaged`,
    );
  }
  return (await cursor.bytes(length, what)).toString('utf8');
}

export async function readPgArchiveHeader(cursor: ByteCursor): Promise<PgArchiveHeader> {
  const magic = await cursor.bytes(PG_DUMP_MAGIC.length, 'the signature');
  if (!magic.equals(PG_DUMP_MAGIC)) throw new PgDumpFormatError('the file does not start with "PGDMP"');
  const major = await cursor.byte('the version');
  const minor = await cursor.byte('the version');
  const revision = major > 1 || (major === 1 && minor > 0) ? await cursor.byte('the version') : 0;
  const version = archiveVersion(major, minor, revision);
  const versionText = `${major}.${minor}.${revision}`;
  if (version < K_VERS_1_0 || version > K_VERS_MAX) {
    throw new PgDumpFormatError(
      `archive version ${versionText} is not one this reader knows (1.0 to 1.16); a newer pg_dump, or a damaged header`,
    );
  }
  const intSize = await cursor.byte('the integer size');
  if (intSize < 1 || intSize > 8) throw new PgDumpFormatError(`integer size ${intSize} is not plausible`);
  const offSize = version >= K_VERS_1_7 ? await cursor.byte('the offset size') : intSize;
  if (offSize < 1 || offSize > 8) throw new PgDumpFormatError(`offset size ${offSize} is not plausible`);
  const format = await cursor.byte('the format');
  const sized = { version, intSize };

  let compression: PgCompression;
  let compressionLevel: number | null = null;
  if (version >= K_VERS_1_15) {
    const algorithm = await cursor.byte('the compression algorithm');
    const name = COMPRESSION_ALGORITHMS[algorithm];
    if (name === undefined) throw new PgDumpFormatError(`unknown compression algorithm ${algorithm}`);
    compression = name;
  } else {
    if (version >= K_VERS_1_4) compressionLevel = await readPgInt(cursor, sized, 'the compression level');
    else if (version >= K_VERS_1_2) compressionLevel = await cursor.byte('the compression level');
    else compressionLevel = -1;
    compression = compressionLevel === 0 ? 'none' : 'gzip';
  }

  let createdAt: string | null = null;
  let database: string | null = null;
  if (version >= K_VERS_1_4) {
    const fields: number[] = [];
    for (const field of ['sec', 'min', 'hour', 'mday', 'mon', 'year', 'isdst']) {
      fields.push(await readPgInt(cursor, sized, `the creation time (${field})`));
    }
    createdAt = formatTm(fields);
    database = await readPgString(cursor, sized, 'the database name');
  }
  let serverVersion: string | null = null;
  let pgDumpVersion: string | null = null;
  if (version >= K_VERS_1_10) {
    serverVersion = await readPgString(cursor, sized, 'the server version');
    pgDumpVersion = await readPgString(cursor, sized, 'the pg_dump version');
  }
  return {
    version,
    versionText,
    intSize,
    offSize,
    format,
    compression,
    compressionLevel,
    createdAt,
    database,
    serverVersion,
    pgDumpVersion,
  };
}

/** `2026-11-24 01:16:05` from struct tm fields (mon is 0-based, year counts from 1900). */
function formatTm([sec, min, hour, mday, mon, year]: number[]): string {
  const two = (value: number | undefined) => String(value ?? 0).padStart(2, '0');
  return `${(year ?? 0) + 1900}-${two((mon ?? 0) + 1)}-${two(mday)} ${two(hour)}:${two(min)}:${two(sec)}`;
}

export function describeCompression(header: PgArchiveHeader): string {
  if (header.compressionLevel === null || header.compression === 'none') return header.compression;
  return header.compressionLevel === -1
    ? `${header.compression} (default level)`
    : `${header.compression} level ${header.compressionLevel}`;
}
