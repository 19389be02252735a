import { packName } from '../format/store-layout.js';
import type { BlobLocation } from '../index/chunk-index.js';
import { readObject } from '../store/object-io.js';
import type { StoreContext } from '../store/store-context.js';

export function packKey(context: StoreContext, packId: string): string {
  return `${context.prefix}${packName(packId)}`;
}

/** Reads one blob with a ranged read and decodes it (checks authentication, length and id). */
export async function readBlob(context: StoreContext, id: Buffer, location: BlobLocation): Promise<Buffer> {
  const stored = await readObject(context.backend, packKey(context, location.packId), {
    offset: location.offset,
    length: location.storedLength,
  });
  return context.codec.decode(stored, { id, ...location }, location.packId);
}
