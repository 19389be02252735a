import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { KEY_SIZE, SEGMENT_PLAINTEXT_SIZE, TAG_SIZE } from './constants.js';
import { assertKeySize } from './data-key.js';
import { EncryptionHeaderError, WrongKeyError } from './errors.js';
import type { MasterKey, ScryptParameters } from './master-key.js';

/** Stored in the archive header and manifest: everything needed to get the data key back, given the master key. */
export interface EncryptionHeader {
  version: 1;
  algorithm: 'AES-256-GCM';
  segmentSize: number;
  keyId: string;
  kdf?: ScryptParameters;
  /** base64(nonce(12) ‖ encrypted data key(32) ‖ tag(16)) */
  wrappedKey: string;
}

const WRAP_NONCE_SIZE = 12;
const WRAPPED_KEY_SIZE = WRAP_NONCE_SIZE + KEY_SIZE + TAG_SIZE;
const WRAP_AAD = Buffer.from('dbbackup-data-key-v1', 'utf8');

/** Encrypts the data key under the master key (AES-256-GCM, random nonce) and describes the member format. */
export function wrapDataKey(dataKey: Buffer, master: MasterKey): EncryptionHeader {
  assertKeySize(dataKey, 'the data key');
  assertKeySize(master.key, 'the master key');
  const nonce = randomBytes(WRAP_NONCE_SIZE);
  const cipher = createCipheriv('aes-256-gcm', master.key, nonce, { authTagLength: TAG_SIZE });
  cipher.setAAD(WRAP_AAD);
  const encrypted = Buffer.concat([cipher.update(dataKey), cipher.final()]);
  const wrappedKey = Buffer.concat([nonce, encrypted, cipher.getAuthTag()]).toString('base64');
  return {
    version: 1,
    algorithm: 'AES-256-GCM',
    segmentSize: SEGMENT_PLAINTEXT_SIZE,
    keyId: master.keyId,
    ...(master.kdf ? { kdf: { ...master.kdf } } : {}),
    wrappedKey,
  };
}

/**
 * Recovers the data key. Fails with WrongKeyError before any member is read when the master key is not the one
 * the backup was made with (different key id, or a key that does not authenticate the wrapped key).
 */
export function unwrapDataKey(header: EncryptionHeader, master: MasterKey): Buffer {
  const wrapped = validateHeader(header);
  assertKeySize(master.key, 'the master key');
  const source = header.kdf ? 'passphrase' : 'key file';
  if (header.keyId !== master.keyId) {
    throw new WrongKeyError(
      `wrong encryption key: this backup was encrypted with key id ${header.keyId} but the key given has id ${master.keyId}; pass the ${source} used for the backup`,
    );
  }
  const nonce = wrapped.subarray(0, WRAP_NONCE_SIZE);
  const encrypted = wrapped.subarray(WRAP_NONCE_SIZE, WRAP_NONCE_SIZE + KEY_SIZE);
  const tag = wrapped.subarray(WRAP_NONCE_SIZE + KEY_SIZE);
  const decipher = createDecipheriv('aes-256-gcm', master.key, nonce, { authTagLength: TAG_SIZE });
  decipher.setAAD(WRAP_AAD);
  decipher.setAuthTag(tag);
  const dataKey = decipher.update(encrypted);
  try {
    decipher.final();
  } catch (error) {
    dataKey.fill(0);
    throw new WrongKeyError(
      `wrong encryption key: the key given (id ${master.keyId}) does not open this backup's data key although the key ids match; the encryption header was modified, or pass the ${source} used for the backup`,
      { cause: error },
    );
  }
  return dataKey;
}

function validateHeader(header: EncryptionHeader): Buffer {
  const fix = 'the archive header is damaged or was written by a newer dbbackup';
  if (header.version !== 1) {
    throw new EncryptionHeaderError(`unsupported encryption header version ${String(header.version)}; ${fix}`);
  }
  if (header.algorithm !== 'AES-256-GCM') {
    throw new EncryptionHeaderError(`unsupported encryption algorithm ${JSON.stringify(header.algorithm)}; ${fix}`);
  }
  if (header.segmentSize !== SEGMENT_PLAINTEXT_SIZE) {
    throw new EncryptionHeaderError(
      `unsupported encryption segment size ${String(header.segmentSize)} (expected ${SEGMENT_PLAINTEXT_SIZE}); ${fix}`,
    );
  }
  const wrapped = typeof header.wrappedKey === 'string' ? Buffer.from(header.wrappedKey, 'base64') : Buffer.alloc(0);
  if (wrapped.length !== WRAPPED_KEY_SIZE) {
    throw new EncryptionHeaderError(
      `the wrapped data key in the encryption header is ${wrapped.length} bytes instead of ${WRAPPED_KEY_SIZE}; ${fix}`,
    );
  }
  return wrapped;
}
