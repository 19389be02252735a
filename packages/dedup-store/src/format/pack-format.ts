import { createHash } from 'node:crypto';
import { DamagedPackError } from '../errors.js';
import { ID_SIZE } from './object-ids.js';

/**
 * A pack holds blobs back to back, then a header describing them, then a fixed trailer (restic's pack layout):
 *
 *   pack    = blob_0 ‖ … ‖ blob_n-1 ‖ header ‖ trailer
 *   header  = sealed(plainHeader)                         (encrypted with the data key when the store is encrypted)
 *   plainHeader = "DDPH" ‖ version(1) ‖ count(u32 LE) ‖ entry × count ‖ sha256(everything before it)(32)
 *   entry   = flags(1: bit0 zstd, bit1 chunk list) ‖ id(32) ‖ storedLength(u32 LE) ‖ plainLength(u32 LE)
 *   trailer = headerLength(u32 LE) ‖ "DDP1"
 *
 * Offsets are not stored: blob i starts where blob i-1 ended (the first at 0). The checksum inside the header makes
 * a flipped header byte detectable in unencrypted stores too (encrypted headers have their GCM tag). A pack can be
 * parsed alone (last 8 bytes → header), which is how the index is rebuilt from packs.
 */
export type BlobType = 'data' | 'list';

export interface PackBlobEntry {
  /** 32-byte id of the plain content. */
  id: Buffer;
  type: BlobType;
  /** The stored bytes are a zstd frame (else the plain bytes as they were, for incompressible chunks). */
  compressed: boolean;
  offset: number;
  storedLength: number;
  plainLength: number;
}

export const TRAILER_SIZE = 8;
export const HEADER_ENTRY_SIZE = 1 + ID_SIZE + 4 + 4;
const HEADER_MAGIC = Buffer.from('DDPH', 'latin1');
const TRAILER_MAGIC = Buffer.from('DDP1', 'latin1');
const HEADER_VERSION = 1;
const HEADER_PREAMBLE_SIZE = 4 + 1 + 4;
const CHECKSUM_SIZE = 32;
const FLAG_COMPRESSED = 1;
const FLAG_LIST = 2;

export function encodeEntryFlags(entry: Pick<PackBlobEntry, 'type' | 'compressed'>): number {
  return (entry.compressed ? FLAG_COMPRESSED : 0) | (entry.type === 'list' ? FLAG_LIST : 0);
}

export function decodeEntryFlags(flags: number): Pick<PackBlobEntry, 'type' | 'compressed'> | undefined {
  if ((flags & ~(FLAG_COMPRESSED | FLAG_LIST)) !== 0) return undefined;
  return { type: flags & FLAG_LIST ? 'list' : 'data', compressed: (flags & FLAG_COMPRESSED) !== 0 };
}

/** Writes the 41-byte entry of `entry` at `offset` of `target`. */
export function writeEntry(target: Buffer, offset: number, entry: PackBlobEntry): void {
  target[offset] = encodeEntryFlags(entry);
  entry.id.copy(target, offset + 1);
  target.writeUInt32LE(entry.storedLength, offset + 1 + ID_SIZE);
  target.writeUInt32LE(entry.plainLength, offset + 5 + ID_SIZE);
}

/** Reads one entry; `offset` in the pack is supplied by the caller. Undefined when the flags are unknown. */
export function readEntry(source: Buffer, at: number, packOffset: number): PackBlobEntry | undefined {
  const flags = decodeEntryFlags(source[at]!);
  if (!flags) return undefined;
  return {
    id: Buffer.from(source.subarray(at + 1, at + 1 + ID_SIZE)),
    ...flags,
    offset: packOffset,
    storedLength: source.readUInt32LE(at + 1 + ID_SIZE),
    plainLength: source.readUInt32LE(at + 5 + ID_SIZE),
  };
}

export function encodePlainHeader(entries: readonly PackBlobEntry[]): Buffer {
  const bodySize = HEADER_PREAMBLE_SIZE + entries.length * HEADER_ENTRY_SIZE;
  const header = Buffer.allocUnsafe(bodySize + CHECKSUM_SIZE);
  HEADER_MAGIC.copy(header, 0);
  header[4] = HEADER_VERSION;
  header.writeUInt32LE(entries.length, 5);
  for (const [index, entry] of entries.entries()) {
    writeEntry(header, HEADER_PREAMBLE_SIZE + index * HEADER_ENTRY_SIZE, entry);
  }
  createHash('sha256').update(header.subarray(0, bodySize)).digest().copy(header, bodySize);
  return header;
}

/** Parses a plain header; throws DamagedPackError naming the pack for any inconsistency. */
export function decodePlainHeader(header: Buffer, packId: string): PackBlobEntry[] {
  const damaged = (reason: string) => new DamagedPackError(packId, undefined, `its header ${reason}`);
  if (header.length < HEADER_PREAMBLE_SIZE + CHECKSUM_SIZE || !header.subarray(0, 4).equals(HEADER_MAGIC)) {
    throw damaged('does not start with the pack header magic');
  }
  const bodySize = header.length - CHECKSUM_SIZE;
  const checksum = createHash('sha256').update(header.subarray(0, bodySize)).digest();
  if (!checksum.equals(header.subarray(bodySize))) throw damaged('fails its checksum');
  if (header[4] !== HEADER_VERSION) throw damaged(`has unsupported version ${header[4]}`);
  const count = header.readUInt32LE(5);
  if (HEADER_PREAMBLE_SIZE + count * HEADER_ENTRY_SIZE !== bodySize)
    throw damaged(`length does not fit ${count} blobs`);
  const entries: PackBlobEntry[] = [];
  let packOffset = 0;
  for (let index = 0; index < count; index++) {
    const entry = readEntry(header, HEADER_PREAMBLE_SIZE + index * HEADER_ENTRY_SIZE, packOffset);
    if (!entry) throw damaged(`has unknown flags in entry ${index}`);
    entries.push(entry);
    packOffset += entry.storedLength;
  }
  return entries;
}

export function encodeTrailer(headerLength: number): Buffer {
  const trailer = Buffer.allocUnsafe(TRAILER_SIZE);
  trailer.writeUInt32LE(headerLength, 0);
  TRAILER_MAGIC.copy(trailer, 4);
  return trailer;
}

/** The stored header's length from the last 8 bytes of a pack of `packSize` bytes. */
export function decodeTrailer(trailer: Buffer, packId: string, packSize: number): number {
  if (trailer.length !== TRAILER_SIZE || !trailer.subarray(4).equals(TRAILER_MAGIC)) {
    throw new DamagedPackError(packId, undefined, 'its trailer is missing or not a pack trailer (truncated upload?)');
  }
  const headerLength = trailer.readUInt32LE(0);
  if (headerLength + TRAILER_SIZE > packSize) {
    throw new DamagedPackError(
      packId,
      undefined,
      `its trailer names a ${headerLength}-byte header in a ${packSize}-byte pack`,
    );
  }
  return headerLength;
}

/** Bytes the blobs of a header occupy: the header starts there. */
export function blobBytesOf(entries: readonly PackBlobEntry[]): number {
  let total = 0;
  for (const entry of entries) total += entry.storedLength;
  return total;
}
