import { Transform, type TransformCallback } from 'node:stream';
import zlib from 'node:zlib';
import { CorruptCompressedDataError } from '../errors.js';
import { STREAM_HIGH_WATER_MARK, ZLIB_CHUNK_SIZE } from '../stream-sizes.js';
import { ZstdFrameScanner } from './zstd-frame-scanner.js';

/**
 * Decompresses a zstd stream of any number of concatenated frames (what the parallel compressor and `zstd` itself
 * write). Wraps node's decoder and writes to it in pieces that never continue past a frame end, which works around
 * nodejs/node#64741 (later frames in the same write are dropped). Output follows the consumer's pace: when our
 * readable side is full the inner decoder is paused, and zlib stops decoding until it is read.
 */
export class ZstdMultiFrameDecompressor extends Transform {
  private readonly scanner = new ZstdFrameScanner();
  private readonly decoder: zlib.ZstdDecompress;
  private sawInput = false;
  private decoderEnded = false;
  private flushCallback: TransformCallback | null = null;

  constructor() {
    super({ readableHighWaterMark: STREAM_HIGH_WATER_MARK, writableHighWaterMark: STREAM_HIGH_WATER_MARK });
    this.decoder = zlib.createZstdDecompress({ chunkSize: ZLIB_CHUNK_SIZE });
    this.decoder.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) this.decoder.pause();
    });
    this.decoder.on('end', () => {
      this.decoderEnded = true;
      this.flushCallback?.();
    });
    this.decoder.on('error', (error: Error) => this.destroy(error));
  }

  override _read(size: number): void {
    this.decoder.resume();
    super._read(size);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (chunk.length === 0) {
      callback();
      return;
    }
    this.sawInput = true;
    let frameEnds: number[];
    try {
      frameEnds = this.scanner.scan(chunk);
    } catch (error) {
      callback(error as Error);
      return;
    }
    let start = 0;
    for (const end of frameEnds) {
      if (end > start && end < chunk.length) {
        this.decoder.write(chunk.subarray(start, end));
        start = end;
      }
    }
    // The callback of the last piece fires once zlib has taken every piece, so at most one input chunk waits.
    this.decoder.write(chunk.subarray(start), (error) => callback(error ?? undefined));
  }

  override _flush(callback: TransformCallback): void {
    if (this.sawInput && !this.scanner.atFrameBoundary) {
      callback(
        new CorruptCompressedDataError(
          'zstd data ends in the middle of a frame: the file is truncated (an interrupted write or download?)',
        ),
      );
      return;
    }
    if (this.decoderEnded) {
      callback();
      return;
    }
    this.flushCallback = callback;
    this.decoder.end();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.decoder.destroy();
    callback(error);
  }
}
