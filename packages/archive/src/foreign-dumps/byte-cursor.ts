/**
 * Sequential reads through a byte range of a random-access source, served from a 1 MiB window so the many small
 * fields of a pg_dump header and TOC cost one read per window. Reading past the end throws DumpTruncatedError.
 */

/** The file ends before a field it must hold: the dump is truncated (or a length field is damaged). */
export class DumpTruncatedError extends Error {
  readonly at: number;
  constructor(at: number, what: string) {
    super(`the file ends at byte ${at} inside ${what}: it is truncated or damaged`);
    this.name = 'DumpTruncatedError';
    this.at = at;
  }
}

export type ReadAt = (offset: number, length: number) => Promise<Buffer>;

const WINDOW = 1024 * 1024;

export class ByteCursor {
  readonly #read: ReadAt;
  readonly #end: number;
  #position: number;
  #window: Buffer = Buffer.alloc(0);
  #windowStart = 0;

  /** Reads [start, end) through `read`, which returns fewer bytes only at the end of the source. */
  constructor(read: ReadAt, start: number, end: number) {
    this.#read = read;
    this.#position = start;
    this.#end = end;
  }

  get position(): number {
    return this.#position;
  }

  get remaining(): number {
    return this.#end - this.#position;
  }

  /** The next `length` bytes (a view that stays valid); `what` names the field for the truncation message. */
  async bytes(length: number, what: string): Promise<Buffer> {
    if (length > this.remaining) throw new DumpTruncatedError(this.#end, what);
    const offsetInWindow = this.#position - this.#windowStart;
    if (offsetInWindow < 0 || offsetInWindow + length > this.#window.length) {
      const wanted = Math.min(Math.max(length, WINDOW), this.remaining);
      this.#window = await this.#read(this.#position, wanted);
      this.#windowStart = this.#position;
      if (this.#window.length < length) throw new DumpTruncatedError(this.#position + this.#window.length, what);
    }
    const start = this.#position - this.#windowStart;
    this.#position += length;
    return this.#window.subarray(start, start + length);
  }

  async byte(what: string): Promise<number> {
    return (await this.bytes(1, what))[0]!;
  }
}
