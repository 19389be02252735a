/**
 * JavaScript side of wasm/copy-frames.c: strips the COPY protocol framing into a part area and hashes completed
 * lines (RowChecksum-compatible) in WebAssembly. One parser serves one COPY stream at a time; parsers are pooled
 * because their memory (the part area) is what a backup's memory budget is made of.
 */
import { COPY_FRAMES_WASM } from './copy-frames-wasm.js';

interface CopyFramesExports {
  memory: WebAssembly.Memory;
  input_offset(): number;
  part_offset(): number;
  input_capacity(): number;
  reset(capacity: number): void;
  set_part_capacity(capacity: number): void;
  feed(length: number): number;
  stop_code(): number;
  remaining(): number;
  part_filled(): number;
  complete(): number;
  rows(): number;
  sum_high(): number;
  sum_low(): number;
  cut(): void;
}

const WASM_PAGE_BYTES = 65536;
/** Parsers kept for reuse; more than the usual number of workers would only hold memory. */
const MAX_IDLE_PARSERS = 4;

let compiled: WebAssembly.Module | undefined;
const idle: CopyFrameParser[] = [];

/** Why feed() stopped before the end of its input. */
export type FeedStop =
  | { kind: 'none' }
  | { kind: 'error-response' }
  /** A message that ends the COPY data (CopyDone, or anything unexpected); its 5-byte header was consumed. */
  | { kind: 'end'; code: number; payloadBytes: number };

export class CopyFrameParser {
  readonly #exports: CopyFramesExports;
  readonly #inputOffset: number;
  readonly #partOffset: number;
  readonly #inputCapacity: number;
  #partCapacity = 0;
  #bytes: Uint8Array;

  private constructor() {
    compiled ??= new WebAssembly.Module(Buffer.from(COPY_FRAMES_WASM, 'base64'));
    this.#exports = new WebAssembly.Instance(compiled, {}).exports as unknown as CopyFramesExports;
    this.#inputOffset = this.#exports.input_offset();
    this.#partOffset = this.#exports.part_offset();
    this.#inputCapacity = this.#exports.input_capacity();
    this.#bytes = new Uint8Array(this.#exports.memory.buffer);
  }

  /** A parser from the pool (or a new one), reset for a COPY whose parts hold up to `partBytes`. */
  static acquire(partBytes: number): CopyFrameParser {
    const parser = idle.pop() ?? new CopyFrameParser();
    parser.#ensureCapacity(partBytes);
    parser.#exports.reset(parser.#partCapacity);
    return parser;
  }

  /** Returns the parser to the pool; it must not be used afterwards. */
  release(): void {
    if (idle.length < MAX_IDLE_PARSERS && !idle.includes(this)) idle.push(this);
  }

  /**
   * Parses chunk[offset, ...) up to the input area's size and returns how many bytes it consumed: fewer than offered
   * when the part area is full (stop kind 'none': cut or grow, then feed the rest) or the COPY data ended (see stop).
   */
  feed(chunk: Uint8Array, offset: number): number {
    const count = Math.min(chunk.length - offset, this.#inputCapacity);
    this.#bytes.set(
      offset === 0 && count === chunk.length ? chunk : chunk.subarray(offset, offset + count),
      this.#inputOffset,
    );
    return this.#exports.feed(count);
  }

  get stop(): FeedStop {
    const code = this.#exports.stop_code();
    if (code === 0) return { kind: 'none' };
    if (code === 0x45) return { kind: 'error-response' };
    return { kind: 'end', code, payloadBytes: this.#exports.remaining() };
  }

  /** Bytes in the part area; `complete` of them are whole lines. */
  get filled(): number {
    return this.#exports.part_filled();
  }

  get complete(): number {
    return this.#exports.complete();
  }

  get capacity(): number {
    return this.#partCapacity;
  }

  /** Lines completed since the last cut, and the 16-hex-digit RowChecksum of them. */
  get rows(): number {
    return this.#exports.rows();
  }

  get checksum(): string {
    const high = this.#exports.sum_high() >>> 0;
    const low = this.#exports.sum_low() >>> 0;
    return high.toString(16).padStart(8, '0') + low.toString(16).padStart(8, '0');
  }

  /** Copies the complete lines into `target` (at least `complete` bytes), then starts the next part with the rest. */
  cutInto(target: Buffer): number {
    const length = this.complete;
    target.set(this.#bytes.subarray(this.#partOffset, this.#partOffset + length));
    this.#exports.cut();
    return length;
  }

  /** Doubles the part area: one row is longer than it. */
  grow(): void {
    this.#ensureCapacity(this.#partCapacity * 2);
    this.#exports.set_part_capacity(this.#partCapacity);
  }

  #ensureCapacity(partBytes: number): void {
    const needed = this.#partOffset + partBytes;
    const memory = this.#exports.memory;
    if (memory.buffer.byteLength < needed) {
      memory.grow(Math.ceil((needed - memory.buffer.byteLength) / WASM_PAGE_BYTES));
      // grow() detaches the old ArrayBuffer.
      this.#bytes = new Uint8Array(memory.buffer);
    }
    this.#partCapacity = partBytes;
  }
}
