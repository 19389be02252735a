/**
 * Incremental tar parser for a non-seekable byte stream (stdin, a download): feed it chunks in order and it reports
 * each regular member's start, body bytes and end to a handler, applying pax `path`/`size` records. Bodies are
 * never buffered here; header blocks are assembled in one reused 512-byte buffer.
 */
import {
  BLOCK_SIZE,
  paddingFor,
  parseHeaderBlock,
  parsePaxOverrides,
  TYPE_PAX_EXTENDED,
  TYPE_PAX_GLOBAL,
} from './tar-header.js';
import type { TarEntry } from './tar-walk.js';

export interface TarStreamHandler {
  entryStart(entry: TarEntry): void;
  entryData(chunk: Buffer): void;
  /** May be async (e.g. to unwrap a key); the parser waits before reading further. */
  entryEnd(): Promise<void> | void;
}

/** The stream is not (or no longer) valid tar at byte `at`. */
export class TarFramingError extends Error {
  readonly at: number;
  constructor(at: number, reason: string) {
    super(reason);
    this.at = at;
  }
}

const MAX_PAX_SIZE = 1024 * 1024;

type ParserState = 'header' | 'body' | 'padding' | 'end';

export class TarStreamParser {
  readonly #handler: TarStreamHandler;
  readonly #headerBlock = Buffer.alloc(BLOCK_SIZE);
  #headerFilled = 0;
  #state: ParserState = 'header';
  /** Bytes consumed so far: the stream offset of the next byte. */
  #position = 0;
  #remaining = 0;
  /** Collects a pax header body; null while reading a regular member's body. */
  #paxBody: Buffer[] | null = null;
  #paxGlobal = false;
  #pending: { name?: string; size?: number } = {};
  #entries = 0;

  constructor(handler: TarStreamHandler) {
    this.#handler = handler;
  }

  /** Regular members seen so far. */
  get entries(): number {
    return this.#entries;
  }

  /** True once the end-of-archive block was read. */
  get ended(): boolean {
    return this.#state === 'end';
  }

  async write(chunk: Buffer): Promise<void> {
    let offset = 0;
    while (offset < chunk.length && this.#state !== 'end') {
      const available = chunk.length - offset;
      if (this.#state === 'header') {
        const take = Math.min(BLOCK_SIZE - this.#headerFilled, available);
        chunk.copy(this.#headerBlock, this.#headerFilled, offset, offset + take);
        this.#headerFilled += take;
        this.#advance(take);
        offset += take;
        if (this.#headerFilled === BLOCK_SIZE) {
          this.#headerFilled = 0;
          await this.#startEntry();
        }
      } else if (this.#state === 'body') {
        const take = Math.min(this.#remaining, available);
        const piece = chunk.subarray(offset, offset + take);
        if (this.#paxBody) this.#paxBody.push(piece);
        else this.#handler.entryData(piece);
        this.#remaining -= take;
        this.#advance(take);
        offset += take;
        if (this.#remaining === 0) await this.#endEntry();
      } else {
        const take = Math.min(this.#remaining, available);
        this.#remaining -= take;
        this.#advance(take);
        offset += take;
        if (this.#remaining === 0) this.#state = 'header';
      }
    }
  }

  #advance(bytes: number): void {
    this.#position += bytes;
  }

  async #startEntry(): Promise<void> {
    const headerAt = this.#position - BLOCK_SIZE;
    const block = parseHeaderBlock(this.#headerBlock);
    if (block.kind === 'end') {
      this.#state = 'end';
      return;
    }
    if (block.kind === 'invalid') throw new TarFramingError(headerAt, block.reason);
    const isPax = block.typeflag === TYPE_PAX_EXTENDED || block.typeflag === TYPE_PAX_GLOBAL;
    const size = isPax ? block.size : (this.#pending.size ?? block.size);
    this.#remaining = size;
    if (isPax) {
      if (size > MAX_PAX_SIZE) throw new TarFramingError(headerAt, `pax header of ${size} bytes`);
      this.#paxBody = [];
      this.#paxGlobal = block.typeflag === TYPE_PAX_GLOBAL;
    } else {
      this.#paxBody = null;
      this.#entries += 1;
      this.#handler.entryStart({ name: this.#pending.name ?? block.name, offset: this.#position, size });
      this.#pending = {};
    }
    this.#state = 'body';
    if (size === 0) await this.#endEntry();
  }

  async #endEntry(): Promise<void> {
    if (this.#paxBody) {
      const overrides = parsePaxOverrides(Buffer.concat(this.#paxBody));
      if (overrides === null) throw new TarFramingError(this.#position, 'unreadable pax records');
      if (!this.#paxGlobal) this.#pending = overrides;
      this.#paxBody = null;
    } else {
      await this.#handler.entryEnd();
    }
    // #remaining is 0 here; reuse it for the padding up to the next 512-byte boundary.
    this.#remaining = paddingFor(this.#position);
    this.#state = this.#remaining === 0 ? 'header' : 'padding';
  }
}
