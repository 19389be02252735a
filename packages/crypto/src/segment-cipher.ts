import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject } from 'node:crypto';
import { MAX_SEGMENT_INDEX, NONCE_PREFIX_SIZE, TAG_SIZE } from './constants.js';
import { assertKeySize } from './data-key.js';
import { CorruptDataError, CryptoError } from './errors.js';

const NONCE_SIZE = 12;
const COUNTER_OFFSET = NONCE_PREFIX_SIZE;
const LAST_FLAG_OFFSET = NONCE_PREFIX_SIZE + 4;

export interface SealedSegment {
  ciphertext: Buffer;
  tag: Buffer;
}

/**
 * Seals and opens the segments of one member. Nonce = prefix(7) ‖ segment index (uint32 BE) ‖ last flag (1 byte),
 * AAD = member name: a segment only authenticates at its own position, in its own member, with its own last flag,
 * which is what makes reordering, truncation at a segment boundary and appending detectable.
 */
export class SegmentCipher {
  readonly member: string;
  // A KeyObject keeps OpenSSL from re-importing the raw key for every 64 KiB segment (about 5x cheaper per init).
  readonly #key: KeyObject;
  readonly #aad: Buffer;
  // createCipheriv copies the IV, so one nonce buffer is reused for every segment.
  readonly #nonce = Buffer.alloc(NONCE_SIZE);

  constructor(dataKey: Buffer, member: string, prefix: Uint8Array) {
    assertKeySize(dataKey, 'the data key');
    if (prefix.length !== NONCE_PREFIX_SIZE) {
      throw new CryptoError(`nonce prefix must be ${NONCE_PREFIX_SIZE} bytes (got ${prefix.length})`);
    }
    this.member = member;
    this.#key = createSecretKey(dataKey);
    this.#aad = Buffer.from(member, 'utf8');
    this.#nonce.set(prefix, 0);
  }

  seal(plain: Uint8Array, index: number, last: boolean): SealedSegment {
    if (index > MAX_SEGMENT_INDEX) {
      throw new CryptoError(`member ${this.member} is too large to encrypt: over 2^32 segments (256 TiB)`);
    }
    const cipher = createCipheriv('aes-256-gcm', this.#key, this.#setNonce(index, last), { authTagLength: TAG_SIZE });
    cipher.setAAD(this.#aad);
    const ciphertext = plain.length > 0 ? cipher.update(plain) : Buffer.alloc(0);
    cipher.final(); // GCM is a stream mode: final() emits no bytes, it computes the tag
    return { ciphertext, tag: cipher.getAuthTag() };
  }

  /** Returns the plaintext only once the tag verified; throws CorruptDataError otherwise. */
  open(ciphertext: Uint8Array, tag: Uint8Array, index: number, last: boolean): Buffer {
    if (index > MAX_SEGMENT_INDEX) {
      throw new CorruptDataError(this.member, index, 'more segments than the format allows (data was appended)');
    }
    const decipher = createDecipheriv('aes-256-gcm', this.#key, this.#setNonce(index, last), {
      authTagLength: TAG_SIZE,
    });
    decipher.setAAD(this.#aad);
    decipher.setAuthTag(tag);
    const plain = ciphertext.length > 0 ? decipher.update(ciphertext) : Buffer.alloc(0);
    try {
      decipher.final();
    } catch (error) {
      throw new CorruptDataError(this.member, index, undefined, { cause: error });
    }
    return plain;
  }

  #setNonce(index: number, last: boolean): Buffer {
    this.#nonce.writeUInt32BE(index, COUNTER_OFFSET);
    this.#nonce[LAST_FLAG_OFFSET] = last ? 1 : 0;
    return this.#nonce;
  }
}
