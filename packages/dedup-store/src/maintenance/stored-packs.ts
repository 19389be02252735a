import { isHexId } from '../format/object-ids.js';
import { baseName, DATA_DIRECTORY, packName } from '../format/store-layout.js';
import { listObjects } from '../store/object-io.js';
import type { StoreContext } from '../store/store-context.js';

/** The packs under data/ (pack id → size). Objects there that are not named like packs are ignored. */
export async function listStoredPacks(context: StoreContext): Promise<Map<string, number>> {
  const packs = new Map<string, number>();
  for (const info of await listObjects(context.backend, `${context.prefix}${DATA_DIRECTORY}`)) {
    const packId = baseName(info.key);
    if (isHexId(packId) && info.key === `${context.prefix}${packName(packId)}`) packs.set(packId, info.size);
  }
  return packs;
}
