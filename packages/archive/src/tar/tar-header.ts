/**
 * POSIX ustar header blocks, written and parsed by hand because the archive needs exact body offsets.
 *
 * Layout of the 512-byte block (offsets in bytes): name 0..100, mode 100, uid 108, gid 116, size 124 (12),
 * mtime 136 (12), checksum 148 (8), typeflag 156, linkname 157..257, magic 257 ("ustar\0"), version 263 ("00"),
 * uname 265 (32), gname 297 (32), devmajor 329, devminor 337, prefix 345..500. Numbers are octal text; the checksum
 * is the sum of all header bytes with the checksum field counted as eight spaces.
 */
import { encodePaxRecords, parsePaxRecords } from './pax.js';

export const BLOCK_SIZE = 512;
/** Largest size an 11-digit octal field holds (8 GiB - 1); bigger members get a pax `size` record. */
export const MAX_OCTAL_SIZE = 0o77777777777;
const MAX_USTAR_NAME_BYTES = 100;

export const TYPE_FILE = '0';
export const TYPE_PAX_EXTENDED = 'x';
export const TYPE_PAX_GLOBAL = 'g';

export function paddingFor(size: number): number {
  const remainder = size % BLOCK_SIZE;
  return remainder === 0 ? 0 : BLOCK_SIZE - remainder;
}

export function roundUpToBlock(size: number): number {
  return size + paddingFor(size);
}

interface UstarFields {
  name: string;
  size: number;
  mtime: number;
  typeflag: string;
}

function writeOctal(block: Buffer, value: number, offset: number, width: number): void {
  // width - 1 octal digits, zero padded, then a NUL terminator.
  block.write(value.toString(8).padStart(width - 1, '0'), offset, width - 1, 'latin1');
  block[offset + width - 1] = 0;
}

function writeBase256(block: Buffer, value: number, offset: number, width: number): void {
  // GNU/star extension for numbers too big for octal: high bit of the first byte set, then big-endian binary.
  let remaining = BigInt(value);
  for (let index = offset + width - 1; index > offset; index--) {
    block[index] = Number(remaining & 0xffn);
    remaining >>= 8n;
  }
  block[offset] = 0x80;
}

function encodeUstarBlock(fields: UstarFields): Buffer {
  const block = Buffer.alloc(BLOCK_SIZE);
  block.write(fields.name, 0, MAX_USTAR_NAME_BYTES, 'utf8');
  writeOctal(block, 0o644, 100, 8);
  writeOctal(block, 0, 108, 8);
  writeOctal(block, 0, 116, 8);
  if (fields.size > MAX_OCTAL_SIZE) writeBase256(block, fields.size, 124, 12);
  else writeOctal(block, fields.size, 124, 12);
  writeOctal(block, fields.mtime, 136, 12);
  block.write(fields.typeflag, 156, 1, 'latin1');
  block.write('ustar\u000000', 257, 8, 'latin1');
  // uname/gname stay empty (all NUL), devmajor/devminor too.
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'latin1');
  return block;
}

/** A stand-in for a name that does not fit a ustar header: printable ASCII, at most 100 bytes. */
function fallbackName(name: string): string {
  return name.replace(/[^\x20-\x7e]/g, '_').slice(0, MAX_USTAR_NAME_BYTES);
}

/**
 * Header blocks for one regular-file member: a ustar block, preceded by a pax extended header when the name is
 * longer than 100 bytes or the size exceeds 8 GiB - 1. The member's body starts right after the returned bytes.
 */
export function encodeMemberHeader(name: string, size: number, mtime: number): Buffer {
  const nameTooLong = Buffer.byteLength(name, 'utf8') > MAX_USTAR_NAME_BYTES;
  const sizeTooBig = size > MAX_OCTAL_SIZE;
  const ustar = encodeUstarBlock({ name: nameTooLong ? fallbackName(name) : name, size, mtime, typeflag: TYPE_FILE });
  if (!nameTooLong && !sizeTooBig) return ustar;

  const records: Record<string, string> = {};
  if (nameTooLong) records['path'] = name;
  if (sizeTooBig) records['size'] = String(size);
  const paxBody = encodePaxRecords(records);
  const baseName = fallbackName(name.slice(name.lastIndexOf('/') + 1));
  const paxHeader = encodeUstarBlock({
    name: `PaxHeaders/${baseName}`.slice(0, MAX_USTAR_NAME_BYTES),
    size: paxBody.length,
    mtime,
    typeflag: TYPE_PAX_EXTENDED,
  });
  return Buffer.concat([paxHeader, paxBody, Buffer.alloc(paddingFor(paxBody.length)), ustar]);
}

/** Two zero blocks mark the end of a tar archive. */
export function endOfArchive(): Buffer {
  return Buffer.alloc(2 * BLOCK_SIZE);
}

export type ParsedHeaderBlock =
  | { kind: 'end' }
  | { kind: 'invalid'; reason: string }
  | { kind: 'entry'; name: string; size: number; typeflag: string; mtime: number };

function readString(block: Buffer, offset: number, width: number): string {
  const end = block.indexOf(0, offset);
  return block.toString('utf8', offset, end < 0 || end > offset + width ? offset + width : end);
}

function readNumber(block: Buffer, offset: number, width: number): number | null {
  if ((block[offset]! & 0x80) !== 0) {
    let value = 0n;
    for (let index = offset + 1; index < offset + width; index++) value = (value << 8n) | BigInt(block[index]!);
    return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : null;
  }
  const text = block
    .toString('latin1', offset, offset + width)
    .replace(/[\0 ]+$/, '')
    .trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) return null;
  return Number.parseInt(text, 8);
}

function isZeroBlock(block: Buffer): boolean {
  for (const byte of block) if (byte !== 0) return false;
  return true;
}

/** Parses one 512-byte header block (without applying pax records, see `applyPax`). */
export function parseHeaderBlock(block: Buffer): ParsedHeaderBlock {
  if (block.length !== BLOCK_SIZE) return { kind: 'invalid', reason: 'short header block' };
  if (isZeroBlock(block)) return { kind: 'end' };
  const storedChecksum = readNumber(block, 148, 8);
  let sum = 0;
  for (let index = 0; index < BLOCK_SIZE; index++) sum += index >= 148 && index < 156 ? 0x20 : block[index]!;
  if (storedChecksum === null || storedChecksum !== sum) return { kind: 'invalid', reason: 'header checksum mismatch' };
  const size = readNumber(block, 124, 12);
  const mtime = readNumber(block, 136, 12);
  if (size === null || mtime === null) return { kind: 'invalid', reason: 'unreadable size or mtime field' };
  let name = readString(block, 0, 100);
  const magic = block.toString('latin1', 257, 263);
  if (magic === 'ustar\u0000') {
    const prefix = readString(block, 345, 155);
    if (prefix !== '') name = `${prefix}/${name}`;
  }
  const typeflag = block[156] === 0 ? TYPE_FILE : String.fromCharCode(block[156]!);
  return { kind: 'entry', name, size, typeflag, mtime };
}

/** Parses a pax extended header body into the overrides this archive uses (`path`, `size`). */
export function parsePaxOverrides(body: Buffer): { name?: string; size?: number } | null {
  const records = parsePaxRecords(body);
  if (records === null) return null;
  const overrides: { name?: string; size?: number } = {};
  if (records['path'] !== undefined) overrides.name = records['path'];
  if (records['size'] !== undefined) {
    const size = Number(records['size']);
    if (!Number.isSafeInteger(size) || size < 0) return null;
    overrides.size = size;
  }
  return overrides;
}
