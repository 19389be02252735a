import { RowChecksum } from '@dbbackup/engine-kit';
import { CHUNK_BYTES, returnChunk, takeChunk } from './chunk-pool.js';
import { type EnumTokenCounter, encodeProtocolRow, LINE_TERMINATOR, maxEncodedLength } from './load-data-format.js';

export interface EncodedPart {
  /**
   * Whole encoded lines, in order, as views into pooled chunks (no line spans two views). Valid until the onPart
   * promise settles: the chunks may then be reused.
   */
  chunks: Buffer[];
  /** Total bytes of `chunks`. */
  bytes: number;
  rows: number;
  checksum: string;
  /** ENUM error values in this part (each loads with one expected truncation warning). */
  enumErrorValues: number;
}

/** Stops and restarts the flow of rows (mysql2's connection pause/resume). */
export interface RowFlow {
  pause(): void;
  resume(): void;
}

export interface PartEncoderOptions {
  partSizeBytes: number;
  /**
   * Recycle a part's chunks once its onPart promise resolved. Only safe when the receiver keeps no reference to
   * them afterwards (it compressed/encrypted them into new buffers).
   */
  reuseBuffers: boolean;
  onPart: (part: EncodedPart) => Promise<void>;
  /** Called once, as soon as a handoff fails, so the reader can stop at once. */
  onFailure: (error: unknown) => void;
  flow: RowFlow;
  /** ENUM columns selected with a zero token: field position (0-based) and token length; empty when none. */
  enumTokenFields?: readonly { field: number; tokenLength: number }[];
}

/**
 * Encodes result rows straight from protocol packets into pooled chunks (no per-row objects), hashing each line
 * as it is written, and cuts the stream into parts of about `partSizeBytes` at row boundaries. One part is handed
 * off (compressed, encrypted, appended) while the next one fills; when a second part is complete before the first
 * is handed off, the row flow is paused, so memory stays at two or three parts per stream whatever the table size.
 * A row whose encoding could exceed a chunk gets a buffer of its own.
 */
export class PartEncoder {
  private chunks: Buffer[] = [];
  /** The whole chunks behind `chunks`, returned to the pool after the handoff. */
  private owned: Buffer[] = [];
  private partBytes = 0;
  private current: Buffer | null = null;
  private filled = 0;
  private checksum = new RowChecksum();
  /** Parts cut but not yet handed off completely. */
  private pending = 0;
  private paused = false;
  private failed = false;
  private tail: Promise<void> = Promise.resolve();
  private readonly tokens: EnumTokenCounter | null;

  constructor(private readonly options: PartEncoderOptions) {
    const tokenFields = options.enumTokenFields ?? [];
    if (tokenFields.length > 0) {
      const fields = new Uint8Array(Math.max(...tokenFields.map((token) => token.field)) + 1);
      for (const token of tokenFields) fields[token.field] = token.tokenLength;
      this.tokens = { fields, count: 0 };
    } else {
      this.tokens = null;
    }
  }

  /** Encodes one text-protocol row held in source[start, end). Synchronous: called from the packet handler. */
  addRow(source: Uint8Array, start: number, end: number): void {
    const worst = maxEncodedLength(end - start) + 1;
    let chunk = this.current;
    if (chunk === null || this.filled + worst > chunk.length) {
      this.sealChunk();
      chunk = worst <= CHUNK_BYTES ? takeChunk() : Buffer.allocUnsafe(worst);
      this.current = chunk;
    }
    const lineStart = this.filled;
    const lineEnd = encodeProtocolRow(source, start, end, chunk, lineStart, this.tokens);
    this.checksum.addLine(chunk, lineStart, lineEnd);
    chunk[lineEnd] = LINE_TERMINATOR;
    this.filled = lineEnd + 1;
    if (this.partBytes + this.filled >= this.options.partSizeBytes) this.cut();
  }

  /** Hands off the rows still buffered and resolves once every part is handed off (rejects if one failed). */
  async finish(): Promise<void> {
    this.sealChunk();
    if (this.chunks.length > 0) this.cut();
    await this.tail;
  }

  /** Closes the chunk being filled: its filled bytes join the part. */
  private sealChunk(): void {
    const chunk = this.current;
    if (chunk === null) return;
    if (this.filled > 0) {
      this.chunks.push(chunk.subarray(0, this.filled));
      this.owned.push(chunk);
      this.partBytes += this.filled;
    } else {
      returnChunk(chunk);
    }
    this.current = null;
    this.filled = 0;
  }

  private cut(): void {
    this.sealChunk();
    const part: EncodedPart = {
      chunks: this.chunks,
      bytes: this.partBytes,
      rows: this.checksum.rows,
      checksum: this.checksum.hex(),
      enumErrorValues: this.tokens?.count ?? 0,
    };
    const owned = this.owned;
    if (this.tokens) this.tokens.count = 0;
    this.chunks = [];
    this.owned = [];
    this.partBytes = 0;
    this.checksum = new RowChecksum();
    this.pending++;
    this.tail = this.tail.then(() => this.handOff(part, owned));
    this.tail.catch((error: unknown) => {
      if (this.failed) return;
      this.failed = true;
      this.options.onFailure(error);
    });
    if (this.pending >= 2 && !this.paused) {
      this.paused = true;
      this.options.flow.pause();
    }
  }

  private async handOff(part: EncodedPart, owned: Buffer[]): Promise<void> {
    await this.options.onPart(part);
    if (this.options.reuseBuffers) for (const chunk of owned) returnChunk(chunk);
    this.pending--;
    if (this.paused && this.pending < 2) {
      this.paused = false;
      // Replays the packets mysql2 queued while paused; they may cut and pause again.
      this.options.flow.resume();
    }
  }
}
