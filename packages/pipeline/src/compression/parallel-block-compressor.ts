import { Transform, type TransformCallback } from 'node:stream';
import { STREAM_HIGH_WATER_MARK } from '../stream-sizes.js';
import { returnBlock, takeBlock } from './block-pool.js';

/** Compresses one block into one self-contained member/frame; runs off the main thread (libuv thread pool). */
export type BlockCodec = (block: Buffer, done: (error: Error | null, compressed: Buffer) => void) => void;

export interface ParallelBlockCompressorOptions {
  codec: BlockCodec;
  blockSize: number;
  maxBlocksInFlight: number;
}

interface PendingBlock {
  input: Buffer;
  output: Buffer | null;
  error: Error | null;
}

interface HeldInput {
  chunk: Buffer;
  offset: number;
  callback: TransformCallback;
}

/**
 * Cuts the input into fixed-size blocks, compresses up to `maxBlocksInFlight` of them at once on the thread pool
 * and emits the results in input order. Formats whose members/frames may be concatenated (gzip, zstd) stay valid,
 * and a single stream uses every core. Memory is bounded: at most maxBlocksInFlight blocks in flight plus the one
 * being filled; while the window is full the transform callback is held, which backpressures the writer.
 */
export class ParallelBlockCompressor extends Transform {
  readonly blockSize: number;
  readonly maxBlocksInFlight: number;
  private readonly codec: BlockCodec;
  /** Blocks submitted and not yet emitted, in input order. */
  private readonly window: PendingBlock[] = [];
  private current: Buffer | null = null;
  private filled = 0;
  private blocksSubmitted = 0;
  private held: HeldInput | null = null;
  private flushCallback: TransformCallback | null = null;
  private peakInFlight = 0;

  constructor(options: ParallelBlockCompressorOptions) {
    super({ readableHighWaterMark: STREAM_HIGH_WATER_MARK, writableHighWaterMark: STREAM_HIGH_WATER_MARK });
    this.codec = options.codec;
    this.blockSize = options.blockSize;
    this.maxBlocksInFlight = options.maxBlocksInFlight;
  }

  /** Highest number of blocks that were in flight at once (compressing, or done and waiting for their turn). */
  get peakBlocksInFlight(): number {
    return this.peakInFlight;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.consume(chunk, 0, callback);
  }

  override _flush(callback: TransformCallback): void {
    this.flushCallback = callback;
    this.finishIfDone();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // Blocks still in the window may be read by the thread pool: they are left to the garbage collector.
    this.window.length = 0;
    if (this.current) returnBlock(this.current);
    this.current = null;
    this.held = null;
    callback(error);
  }

  private consume(chunk: Buffer, start: number, callback: TransformCallback): void {
    let offset = start;
    for (;;) {
      if (this.filled === this.blockSize) {
        if (this.windowIsFull()) {
          this.held = { chunk, offset, callback };
          return;
        }
        this.submitCurrent();
      }
      if (offset >= chunk.length) break;
      this.current ??= this.takeBlockBuffer();
      const copied = chunk.copy(this.current, this.filled, offset, offset + (this.blockSize - this.filled));
      this.filled += copied;
      offset += copied;
    }
    if (this.windowIsFull()) {
      this.held = { chunk, offset, callback };
      return;
    }
    callback();
  }

  private windowIsFull(): boolean {
    return this.window.length >= this.maxBlocksInFlight;
  }

  private takeBlockBuffer(): Buffer {
    return takeBlock(this.blockSize);
  }

  private submitCurrent(): void {
    const input = this.current ?? Buffer.alloc(0);
    const pending: PendingBlock = { input, output: null, error: null };
    const data = input.subarray(0, this.filled);
    this.current = null;
    this.filled = 0;
    this.blocksSubmitted++;
    this.window.push(pending);
    this.peakInFlight = Math.max(this.peakInFlight, this.window.length);
    this.codec(data, (error, compressed) => {
      pending.error = error;
      pending.output = error ? null : compressed;
      this.onBlockSettled();
    });
  }

  private onBlockSettled(): void {
    if (this.destroyed) return;
    while (this.window.length > 0) {
      const head = this.window[0]!;
      if (head.error) {
        this.destroy(head.error);
        return;
      }
      if (!head.output) break;
      this.window.shift();
      if (head.input.length === this.blockSize) returnBlock(head.input);
      this.push(head.output);
    }
    const held = this.held;
    if (held) {
      this.held = null;
      this.consume(held.chunk, held.offset, held.callback);
    }
    this.finishIfDone();
  }

  private finishIfDone(): void {
    const callback = this.flushCallback;
    if (!callback) return;
    // An empty input still produces one (empty) member/frame: gunzip and zstd reject a zero-byte file.
    if (this.filled > 0 || this.blocksSubmitted === 0) {
      if (this.windowIsFull()) return;
      this.submitCurrent();
    }
    if (this.window.length > 0) return;
    this.flushCallback = null;
    callback();
  }
}
