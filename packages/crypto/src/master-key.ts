import { createHash } from 'node:crypto';

/** scrypt parameters stored in the encryption header so a passphrase can re-derive the same master key. */
export interface ScryptParameters {
  name: 'scrypt';
  /** base64 */
  salt: string;
  N: number;
  r: number;
  p: number;
}

/** The key that wraps data keys. `keyId` names it without revealing it; `kdf` is set when it came from a passphrase. */
export interface MasterKey {
  keyId: string;
  key: Buffer;
  kdf?: ScryptParameters;
}

/** First 16 hex chars of sha256("dbbackup-key-id:" ‖ key): enough to tell keys apart, useless for guessing them. */
export function computeKeyId(key: Buffer): string {
  return createHash('sha256').update('dbbackup-key-id:').update(key).digest('hex').slice(0, 16);
}
