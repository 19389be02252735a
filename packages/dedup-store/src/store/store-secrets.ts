import { hkdfSync } from 'node:crypto';
import type { StoreSecrets } from '../format/blob-codec.js';

/**
 * Splits the store's data key into independent keys with HKDF-SHA256 (salt = the store id), so no key is used for two
 * purposes: AES-256-GCM for stored bytes, HMAC-SHA256 for chunk ids, and the seed of the secret gear table.
 */
export function deriveStoreSecrets(dataKey: Buffer, storeId: string): { secrets: StoreSecrets; gearSeed: Buffer } {
  const salt = Buffer.from(storeId, 'hex');
  const derive = (purpose: string) =>
    Buffer.from(hkdfSync('sha256', dataKey, salt, `dbbackup-dedup-store v1 ${purpose}`, 32));
  return {
    secrets: { dataKey: derive('encryption'), idKey: derive('chunk ids') },
    gearSeed: derive('gear table'),
  };
}
