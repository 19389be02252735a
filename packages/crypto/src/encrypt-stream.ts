import { randomBytes } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { NONCE_PREFIX_SIZE, SEGMENT_PLAINTEXT_SIZE } from './constants.js';
import { SegmentCipher } from './segment-cipher.js';

export interface MemberCipherOptions {
  /** The member's name inside the archive; it is authenticated (AAD), so decryption needs the same name. */
  member: string;
}

/**
 * Plaintext in, encrypted member out: the 7-byte nonce prefix, then (ciphertext ‖ tag) per 64 KiB segment.
 *
 * A full segment cannot be sealed until we know whether more data follows (the last segment carries a flag), so
 * one segment of plaintext waits in a preallocated buffer; the final one is sealed in flush. Full segments that
 * arrive inside a large chunk are sealed straight from the chunk, without copying.
 */
class EncryptStream extends Transform {
  readonly #prefix = randomBytes(NONCE_PREFIX_SIZE);
  readonly #cipher: SegmentCipher;
  readonly #pending = Buffer.allocUnsafe(SEGMENT_PLAINTEXT_SIZE);
  #pendingLength = 0;
  #index = 0;
  #prefixPushed = false;

  constructor(dataKey: Buffer, options: MemberCipherOptions) {
    super();
    this.#cipher = new SegmentCipher(dataKey, options.member, this.#prefix);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.#pushPrefixOnce();
      let offset = 0;
      while (offset < chunk.length) {
        if (this.#pendingLength === SEGMENT_PLAINTEXT_SIZE) {
          // More bytes follow, so the held segment is not the last one.
          this.#seal(this.#pending, false);
          this.#pendingLength = 0;
        }
        const remaining = chunk.length - offset;
        if (this.#pendingLength === 0 && remaining > SEGMENT_PLAINTEXT_SIZE) {
          this.#seal(chunk.subarray(offset, offset + SEGMENT_PLAINTEXT_SIZE), false);
          offset += SEGMENT_PLAINTEXT_SIZE;
          continue;
        }
        // Copy rather than keep a reference: the writer may reuse its buffer once this callback runs.
        const take = Math.min(SEGMENT_PLAINTEXT_SIZE - this.#pendingLength, remaining);
        chunk.copy(this.#pending, this.#pendingLength, offset, offset + take);
        this.#pendingLength += take;
        offset += take;
      }
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.#pushPrefixOnce();
      // Always seal a last segment, even an empty one, so a member cut off at a segment boundary fails to verify.
      this.#seal(this.#pending.subarray(0, this.#pendingLength), true);
      this.#pendingLength = 0;
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  #seal(plain: Buffer, last: boolean): void {
    const { ciphertext, tag } = this.#cipher.seal(plain, this.#index, last);
    this.#index += 1;
    if (ciphertext.length > 0) this.push(ciphertext);
    this.push(tag);
  }

  #pushPrefixOnce(): void {
    if (this.#prefixPushed) return;
    this.#prefixPushed = true;
    this.push(Buffer.from(this.#prefix));
  }
}

/** A Transform that encrypts one archive member (format in README.md). */
export function createEncryptStream(dataKey: Buffer, options: MemberCipherOptions): Transform {
  return new EncryptStream(dataKey, options);
}
