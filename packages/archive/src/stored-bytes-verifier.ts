import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { ChecksumMismatchError } from './errors.js';

/**
 * Passes a member's stored bytes through unchanged while hashing them; at the end it fails the stream with
 * ChecksumMismatchError when the bytes (or their count) differ from what the manifest recorded. Because the
 * error comes before the stream ends, every consumer downstream sees a stream error rather than a clean end.
 */
export class StoredBytesVerifier extends Transform {
  readonly #member: string;
  readonly #expectedSha256: string;
  readonly #expectedSize: number;
  readonly #hash = createHash('sha256');
  #size = 0;

  constructor(member: string, expectedSha256: string, expectedSize: number) {
    super();
    this.#member = member;
    this.#expectedSha256 = expectedSha256;
    this.#expectedSize = expectedSize;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#hash.update(chunk);
    this.#size += chunk.length;
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    const actual = this.#hash.digest('hex');
    if (actual !== this.#expectedSha256 || this.#size !== this.#expectedSize) {
      callback(new ChecksumMismatchError(this.#member, this.#expectedSha256, actual));
      return;
    }
    callback();
  }
}
