import { Transform, type TransformCallback } from 'node:stream';
import { InvalidRateError } from './errors.js';
import { STREAM_HIGH_WATER_MARK } from './stream-sizes.js';

const MIN_BURST_BYTES = 64 * 1024;

/**
 * Token-bucket rate limit: bytes leave at `bytesPerSecond` on average, with bursts of up to
 * max(64 KiB, a tenth of a second's worth). Large chunks are split into burst-sized pieces so the output stays
 * smooth, and waiting uses timers, so a throttled stream costs no CPU.
 */
export class TokenBucketThrottle extends Transform {
  readonly bytesPerSecond: number;
  readonly burstBytes: number;
  private tokens: number;
  private refilledAt = performance.now();
  private timer: NodeJS.Timeout | null = null;

  constructor(bytesPerSecond: number) {
    if (!Number.isFinite(bytesPerSecond) || bytesPerSecond <= 0) {
      throw new InvalidRateError(
        `invalid throttle rate ${bytesPerSecond}: pass a positive number of bytes per second (see parseRate)`,
      );
    }
    super({ readableHighWaterMark: STREAM_HIGH_WATER_MARK, writableHighWaterMark: STREAM_HIGH_WATER_MARK });
    this.bytesPerSecond = bytesPerSecond;
    this.burstBytes = Math.max(MIN_BURST_BYTES, Math.floor(bytesPerSecond / 10));
    this.tokens = this.burstBytes;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.sendFrom(chunk, 0, callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    callback(error);
  }

  private sendFrom(chunk: Buffer, start: number, callback: TransformCallback): void {
    let offset = start;
    while (offset < chunk.length) {
      this.refill();
      const piece = Math.min(chunk.length - offset, this.burstBytes);
      if (this.tokens < piece) {
        const waitMs = Math.ceil(((piece - this.tokens) / this.bytesPerSecond) * 1000);
        this.timer = setTimeout(() => {
          this.timer = null;
          if (!this.destroyed) this.sendFrom(chunk, offset, callback);
        }, waitMs);
        return;
      }
      this.tokens -= piece;
      this.push(chunk.subarray(offset, offset + piece));
      offset += piece;
    }
    callback();
  }

  private refill(): void {
    const now = performance.now();
    this.tokens = Math.min(this.burstBytes, this.tokens + ((now - this.refilledAt) / 1000) * this.bytesPerSecond);
    this.refilledAt = now;
  }
}

/** A Transform that limits throughput to `bytesPerSecond` (token bucket). Throws InvalidRateError. */
export function createThrottle(bytesPerSecond: number): Transform {
  return new TokenBucketThrottle(bytesPerSecond);
}
