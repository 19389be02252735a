import { randomBytes } from 'node:crypto';
import { KEY_SIZE } from './constants.js';
import { CryptoError } from './errors.js';

/** A fresh random 256-bit data key; one per backup, stored only wrapped by the master key. */
export function createDataKey(): Buffer {
  return randomBytes(KEY_SIZE);
}

/** Rejects anything but a 32-byte key early, with a message that says which key is wrong (never its bytes). */
export function assertKeySize(key: Uint8Array, what: string): void {
  if (!(key instanceof Uint8Array) || key.length !== KEY_SIZE) {
    const found = key instanceof Uint8Array ? `${key.length} bytes` : typeof key;
    throw new CryptoError(`${what} must be ${KEY_SIZE} bytes (got ${found}); create data keys with createDataKey()`);
  }
}
