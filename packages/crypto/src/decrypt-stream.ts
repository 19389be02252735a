import { Transform, type TransformCallback } from 'node:stream';
import { NONCE_PREFIX_SIZE, SEGMENT_RECORD_SIZE, TAG_SIZE } from './constants.js';
import { assertKeySize } from './data-key.js';
import type { MemberCipherOptions } from './encrypt-stream.js';
import { CorruptDataError } from './errors.js';
import { SegmentCipher } from './segment-cipher.js';

/**
 * Encrypted member in, plaintext out. No plaintext leaves before its segment's tag verified.
 *
 * Only the end of input tells which segment is the last one, so one full stored segment is held back until more
 * bytes arrive (then it is a middle segment) or the input ends (then it is the last). Full segments inside a large
 * chunk are opened straight from the chunk when more bytes follow them in that chunk.
 */
class DecryptStream extends Transform {
  readonly #dataKey: Buffer;
  readonly #member: string;
  readonly #prefix = Buffer.alloc(NONCE_PREFIX_SIZE);
  #prefixLength = 0;
  #cipher: SegmentCipher | undefined;
  readonly #held = Buffer.allocUnsafe(SEGMENT_RECORD_SIZE);
  #heldLength = 0;
  #index = 0;

  constructor(dataKey: Buffer, options: MemberCipherOptions) {
    super();
    // The cipher needs the prefix from the input; check the key now so a bad one fails at construction.
    assertKeySize(dataKey, 'the data key');
    this.#dataKey = dataKey;
    this.#member = options.member;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      let offset = this.#takePrefix(chunk);
      const cipher = this.#cipher;
      while (cipher !== undefined && offset < chunk.length) {
        if (this.#heldLength === SEGMENT_RECORD_SIZE) {
          // More bytes follow, so the held segment is a middle one.
          this.#open(cipher, this.#held, false);
          this.#heldLength = 0;
        }
        const remaining = chunk.length - offset;
        if (this.#heldLength === 0 && remaining > SEGMENT_RECORD_SIZE) {
          this.#open(cipher, chunk.subarray(offset, offset + SEGMENT_RECORD_SIZE), false);
          offset += SEGMENT_RECORD_SIZE;
          continue;
        }
        const take = Math.min(SEGMENT_RECORD_SIZE - this.#heldLength, remaining);
        chunk.copy(this.#held, this.#heldLength, offset, offset + take);
        this.#heldLength += take;
        offset += take;
      }
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      if (this.#cipher === undefined) {
        throw new CorruptDataError(
          this.#member,
          0,
          'the data ends inside the nonce prefix (the archive was truncated)',
        );
      }
      if (this.#heldLength < TAG_SIZE) {
        throw new CorruptDataError(this.#member, this.#index, 'the data ends inside a tag (the archive was truncated)');
      }
      this.#open(this.#cipher, this.#held.subarray(0, this.#heldLength), true);
      this.#heldLength = 0;
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  /** Collects the 7-byte prefix (it may span chunks); returns the offset where segment bytes start. */
  #takePrefix(chunk: Buffer): number {
    if (this.#cipher !== undefined) return 0;
    const take = Math.min(NONCE_PREFIX_SIZE - this.#prefixLength, chunk.length);
    chunk.copy(this.#prefix, this.#prefixLength, 0, take);
    this.#prefixLength += take;
    if (this.#prefixLength === NONCE_PREFIX_SIZE) {
      this.#cipher = new SegmentCipher(this.#dataKey, this.#member, this.#prefix);
    }
    return take;
  }

  #open(cipher: SegmentCipher, record: Buffer, last: boolean): void {
    const ciphertextLength = record.length - TAG_SIZE;
    const plain = cipher.open(
      record.subarray(0, ciphertextLength),
      record.subarray(ciphertextLength),
      this.#index,
      last,
    );
    this.#index += 1;
    if (plain.length > 0) this.push(plain);
  }
}

/** A Transform that decrypts one archive member; errors with CorruptDataError (member + segment) on any damage. */
export function createDecryptStream(dataKey: Buffer, options: MemberCipherOptions): Transform {
  return new DecryptStream(dataKey, options);
}
