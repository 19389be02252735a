import { CorruptDataError } from '@dbbackup/crypto';
import { DamagedPackError } from '../errors.js';
import type { BlobCodec } from './blob-codec.js';
import { decodePlainHeader, encodePlainHeader, encodeTrailer, type PackBlobEntry } from './pack-format.js';

const HEADER_MEMBER = 'pack-header';

/** The header and trailer that close a pack: sealed (encrypted in encrypted stores) header, then its length. */
export function encodePackTail(codec: BlobCodec, entries: readonly PackBlobEntry[]): Buffer[] {
  const header = codec.seal(encodePlainHeader(entries), HEADER_MEMBER);
  return [header, encodeTrailer(header.length)];
}

/** Opens and parses a stored header; DamagedPackError when it fails authentication or does not parse. */
export function decodePackHeader(codec: BlobCodec, storedHeader: Buffer, packId: string): PackBlobEntry[] {
  let plain: Buffer;
  try {
    plain = codec.open(storedHeader, HEADER_MEMBER);
  } catch (error) {
    if (!(error instanceof CorruptDataError)) throw error;
    throw new DamagedPackError(packId, undefined, 'its encrypted header fails authentication', { cause: error });
  }
  return decodePlainHeader(plain, packId);
}
