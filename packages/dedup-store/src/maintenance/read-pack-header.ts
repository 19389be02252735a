import { DamagedPackError } from '../errors.js';
import { blobBytesOf, decodeTrailer, type PackBlobEntry, TRAILER_SIZE } from '../format/pack-format.js';
import { decodePackHeader } from '../format/pack-header.js';
import { packKey } from '../restore/read-blob.js';
import { readObject } from '../store/object-io.js';
import type { StoreContext } from '../store/store-context.js';

function checkLayout(entries: PackBlobEntry[], headerLength: number, packId: string, packSize: number): void {
  const expected = blobBytesOf(entries) + headerLength + TRAILER_SIZE;
  if (expected !== packSize) {
    throw new DamagedPackError(
      packId,
      undefined,
      `its header accounts for ${expected} bytes but the pack has ${packSize}`,
    );
  }
}

/** Reads a pack's trailer and header with two ranged reads and parses them (DamagedPackError when they do not). */
export async function readPackHeader(
  context: StoreContext,
  packId: string,
  packSize: number,
): Promise<PackBlobEntry[]> {
  if (packSize < TRAILER_SIZE) throw new DamagedPackError(packId, undefined, `it is only ${packSize} bytes long`);
  const key = packKey(context, packId);
  const trailer = await readObject(context.backend, key, { offset: packSize - TRAILER_SIZE, length: TRAILER_SIZE });
  const headerLength = decodeTrailer(trailer, packId, packSize);
  const header = await readObject(context.backend, key, {
    offset: packSize - TRAILER_SIZE - headerLength,
    length: headerLength,
  });
  const entries = decodePackHeader(context.codec, header, packId);
  checkLayout(entries, headerLength, packId, packSize);
  return entries;
}

/** Parses the header of a pack read whole. */
export function parsePackHeader(context: StoreContext, packId: string, pack: Buffer): PackBlobEntry[] {
  if (pack.length < TRAILER_SIZE) throw new DamagedPackError(packId, undefined, `it is only ${pack.length} bytes long`);
  const headerLength = decodeTrailer(pack.subarray(pack.length - TRAILER_SIZE), packId, pack.length);
  const headerStart = pack.length - TRAILER_SIZE - headerLength;
  const entries = decodePackHeader(context.codec, pack.subarray(headerStart, pack.length - TRAILER_SIZE), packId);
  checkLayout(entries, headerLength, packId, pack.length);
  return entries;
}
