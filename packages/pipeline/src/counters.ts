import { Transform, type TransformCallback } from 'node:stream';
import { STREAM_HIGH_WATER_MARK } from './stream-sizes.js';

const NEWLINE = 0x0a;
const sizes = { readableHighWaterMark: STREAM_HIGH_WATER_MARK, writableHighWaterMark: STREAM_HIGH_WATER_MARK };

/** Pass-through stage that counts the bytes flowing through it. */
export class ByteCounter extends Transform {
  private count = 0;

  constructor() {
    super(sizes);
  }

  get bytes(): number {
    return this.count;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.count += chunk.length;
    callback(null, chunk);
  }
}

/** Pass-through stage that counts '\n' bytes (rows of COPY text, lines of SQL). */
export class LineCounter extends Transform {
  private count = 0;

  constructor() {
    super(sizes);
  }

  get lines(): number {
    return this.count;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.count += countNewlines(chunk);
    callback(null, chunk);
  }
}

/** indexOf runs in native code (memchr), far faster than a JavaScript loop over every byte. */
export function countNewlines(chunk: Buffer): number {
  let count = 0;
  let at = chunk.indexOf(NEWLINE);
  while (at !== -1) {
    count++;
    at = chunk.indexOf(NEWLINE, at + 1);
  }
  return count;
}
