import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { DigestNotReadyError } from './errors.js';
import { STREAM_HIGH_WATER_MARK } from './stream-sizes.js';

/** Pass-through stage that hashes every byte with SHA-256; digest() gives the hex digest once the stream finished. */
export class Sha256Stream extends Transform {
  private readonly hash: Hash = createHash('sha256');
  private hex: string | null = null;

  constructor() {
    super({ readableHighWaterMark: STREAM_HIGH_WATER_MARK, writableHighWaterMark: STREAM_HIGH_WATER_MARK });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.hex = this.hash.digest('hex');
    callback();
  }

  /** Hex SHA-256 of everything that passed through. Throws DigestNotReadyError before the stream has finished. */
  digest(): string {
    if (this.hex === null) {
      throw new DigestNotReadyError(
        "sha256 digest requested before the stream finished: wait for 'finish' (or the pipeline to resolve)",
      );
    }
    return this.hex;
  }
}
