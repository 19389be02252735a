import zlib from 'node:zlib';
import { DamagedObjectError } from '../errors.js';
import type { BlobCodec } from './blob-codec.js';
import { ID_SIZE } from './object-ids.js';
import { HEADER_ENTRY_SIZE, type PackBlobEntry, readEntry, writeEntry } from './pack-format.js';

/** One pack as an index file lists it: what the pack's own header says, plus the pack's size. */
export interface PackRecord {
  /** sha256 of the pack's bytes, hex. */
  packId: string;
  size: number;
  blobs: PackBlobEntry[];
}

/**
 * Index file: which blobs each pack holds, so a backup or restore need not read pack headers.
 *
 *   stored = sealed(zstd(plain))          (encrypted with the data key when the store is)
 *   plain  = "DDIX" ‖ version(1) ‖ packCount(u32 LE) ‖ pack × packCount
 *   pack   = packId(32) ‖ packSize(u32 LE) ‖ blobCount(u32 LE) ‖ entry × blobCount   (entries as in the pack header)
 *
 * Everything here can be rebuilt from the packs' headers (rebuildIndex). The object's name is the sha256 of its
 * stored bytes, which readObject checks.
 */
const MAGIC = Buffer.from('DDIX', 'latin1');
const VERSION = 1;
const MEMBER = 'index';
const PACK_PREAMBLE_SIZE = ID_SIZE + 4 + 4;
/** A crafted file must not make us allocate without bound when decompressing. */
const MAX_PLAIN_INDEX_BYTES = 2 ** 31 - 1;

export function encodeIndexFile(codec: BlobCodec, packs: readonly PackRecord[]): Buffer {
  let size = MAGIC.length + 1 + 4;
  for (const pack of packs) size += PACK_PREAMBLE_SIZE + pack.blobs.length * HEADER_ENTRY_SIZE;
  const plain = Buffer.allocUnsafe(size);
  MAGIC.copy(plain, 0);
  plain[4] = VERSION;
  plain.writeUInt32LE(packs.length, 5);
  let offset = 9;
  for (const pack of packs) {
    Buffer.from(pack.packId, 'hex').copy(plain, offset);
    plain.writeUInt32LE(pack.size, offset + ID_SIZE);
    plain.writeUInt32LE(pack.blobs.length, offset + ID_SIZE + 4);
    offset += PACK_PREAMBLE_SIZE;
    for (const blob of pack.blobs) {
      writeEntry(plain, offset, blob);
      offset += HEADER_ENTRY_SIZE;
    }
  }
  return codec.seal(zlib.zstdCompressSync(plain), MEMBER);
}

export function decodeIndexFile(codec: BlobCodec, stored: Buffer, key: string): PackRecord[] {
  let plain: Buffer;
  try {
    plain = zlib.zstdDecompressSync(codec.open(stored, MEMBER), { maxOutputLength: MAX_PLAIN_INDEX_BYTES });
  } catch (error) {
    throw new DamagedObjectError(key, 'it does not decrypt or decompress', { cause: error });
  }
  const damaged = (reason: string) => new DamagedObjectError(key, reason);
  if (plain.length < 9 || !plain.subarray(0, 4).equals(MAGIC)) throw damaged('it is not an index file');
  if (plain[4] !== VERSION) throw damaged(`it has unsupported index version ${plain[4]}`);
  const packCount = plain.readUInt32LE(5);
  const packs: PackRecord[] = [];
  let offset = 9;
  for (let packNumber = 0; packNumber < packCount; packNumber++) {
    if (offset + PACK_PREAMBLE_SIZE > plain.length) throw damaged('it ends inside a pack record');
    const packId = plain.toString('hex', offset, offset + ID_SIZE);
    const size = plain.readUInt32LE(offset + ID_SIZE);
    const blobCount = plain.readUInt32LE(offset + ID_SIZE + 4);
    offset += PACK_PREAMBLE_SIZE;
    if (offset + blobCount * HEADER_ENTRY_SIZE > plain.length) throw damaged('it ends inside a blob list');
    const blobs: PackBlobEntry[] = [];
    let packOffset = 0;
    for (let blobNumber = 0; blobNumber < blobCount; blobNumber++) {
      const entry = readEntry(plain, offset, packOffset);
      if (!entry) throw damaged(`it has unknown blob flags in pack ${packId}`);
      blobs.push(entry);
      packOffset += entry.storedLength;
      offset += HEADER_ENTRY_SIZE;
    }
    packs.push({ packId, size, blobs });
  }
  if (offset !== plain.length) throw damaged('it has trailing bytes');
  return packs;
}
