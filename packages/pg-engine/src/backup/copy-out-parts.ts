/**
 * COPY ... TO STDOUT straight into parts: the socket's bytes go through CopyFrameParser (WebAssembly: framing
 * stripped, lines hashed) and are cut into parts of at most `partSizeBytes` at line boundaries. No Readable, no
 * per-row JavaScript, no buffer allocated per socket read.
 *
 * Like pg-copy-streams' `to`, it takes over the connection's socket while the COPY runs and hands it back to pg
 * for CommandComplete/ReadyForQuery or an ErrorResponse. One part is handed off (compressed, appended) while the
 * next one fills; when the next is full before that handoff settled, reading stops (TCP backpressures the
 * server), so memory stays at the parser's part area plus one part per stream, whatever the table size.
 */
import type pg from 'pg';
import type { Connection, Submittable } from 'pg';
import { CopyFrameParser } from './copy-frame-parser.js';

const COPY_DONE = 0x63; // 'c'

export interface CopyPart {
  /** Whole COPY text lines. Valid until the onPart promise settles (the buffer may then be reused). */
  body: Buffer;
  rows: number;
  checksum: string;
}

export interface CopyOutPartsOptions {
  partSizeBytes: number;
  /**
   * Reuse a part's buffer once its onPart promise resolved. Only safe when the receiver keeps no reference to the
   * body afterwards (it compressed/encrypted it into new buffers).
   */
  reuseBuffers: boolean;
}

type DataHandler = (chunk: Buffer) => void;

/**
 * Full-part buffers, recycled across COPYs: a fresh multi-MiB buffer faults on every page at first touch, and a
 * backup of thousands of small tables must not pay a part-sized allocation per table (their single part gets a
 * buffer of its own size).
 */
const MAX_IDLE_PART_BUFFERS = 4;
const idlePartBuffers: Buffer[] = [];

/** A buffer for `size` bytes: from the pool for a full part (cut because the part area was full), else its own. */
function takePartBuffer(size: number, full: boolean, capacity: number): Buffer {
  if (!full) return Buffer.allocUnsafe(size);
  const index = idlePartBuffers.findIndex((buffer) => buffer.length >= size);
  return index >= 0 ? idlePartBuffers.splice(index, 1)[0]! : Buffer.allocUnsafe(Math.max(size, capacity));
}

function returnPartBuffer(buffer: Buffer): void {
  if (idlePartBuffers.length < MAX_IDLE_PART_BUFFERS) idlePartBuffers.push(buffer);
}

/** Runs `sql` (a COPY ... TO STDOUT) on `client` and delivers its rows as parts; resolves after the last onPart. */
export async function copyOutToParts(
  client: pg.Client,
  sql: string,
  options: CopyOutPartsOptions,
  onPart: (part: CopyPart) => Promise<void>,
): Promise<void> {
  const query = new CopyOutParts(sql, options, onPart);
  client.query(query);
  await query.done;
}

class CopyOutParts implements Submittable {
  readonly done: Promise<void>;
  #resolve: () => void = () => undefined;
  #reject: (error: unknown) => void = () => undefined;
  readonly #parser: CopyFrameParser;
  #connection: Connection | undefined;
  #pgDataHandler: DataHandler | undefined;
  /** The socket chunk being parsed when reading stopped to wait for #handoff (reading resumes when it settles). */
  #held: { chunk: Buffer; offset: number } | undefined;
  #handoff: Promise<void> | undefined;
  #dataEnded = false;
  #readyForQuery = false;
  #settled = false;
  readonly #onReadable = () => this.#pump();

  constructor(
    readonly text: string,
    private readonly options: CopyOutPartsOptions,
    private readonly onPart: (part: CopyPart) => Promise<void>,
  ) {
    this.#parser = CopyFrameParser.acquire(options.partSizeBytes);
    this.done = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // Awaited by copyOutToParts; this keeps an early failure from counting as unhandled in between.
    this.done.catch(() => undefined);
  }

  submit(connection: Connection): void {
    this.#connection = connection;
    const socket = connection.stream;
    const handlers = socket.listeners('data') as DataHandler[];
    if (handlers.length !== 1) throw new Error('unexpected pg connection state: expected exactly one data listener');
    this.#pgDataHandler = handlers[0]!;
    socket.removeListener('data', this.#pgDataHandler);
    socket.pause();
    socket.on('readable', this.#onReadable);
    connection.query(this.text);
  }

  #pump(): void {
    const waiting = this.#held !== undefined && this.#handoff !== undefined;
    if (waiting || this.#dataEnded || this.#settled || !this.#connection) return;
    const socket = this.#connection.stream;
    try {
      if (this.#held) {
        const { chunk, offset } = this.#held;
        this.#held = undefined;
        if (!this.#parse(chunk, offset)) return;
      }
      for (;;) {
        const chunk = socket.read() as Buffer | null;
        if (chunk === null) return;
        if (!this.#parse(chunk, 0)) return;
      }
    } catch (error) {
      this.#fail(error);
    }
  }

  /** Parses one socket chunk from `offset`; false when reading must stop (a handoff to wait for, or the end). */
  #parse(chunk: Buffer, start: number): boolean {
    const parser = this.#parser;
    let offset = start;
    while (offset < chunk.length) {
      if (parser.filled === parser.capacity) {
        if (parser.complete === 0) {
          parser.grow(); // one row longer than a part
        } else if (!this.#cut(chunk, offset)) {
          return false;
        }
      }
      offset += parser.feed(chunk, offset);
      const stop = parser.stop;
      if (stop.kind === 'error-response') {
        // pg parses the error and reports it through handleError.
        this.#handBack(chunk.subarray(offset));
        return false;
      }
      if (stop.kind === 'end') {
        if (stop.code === COPY_DONE) {
          this.#handBack(chunk.subarray(offset + stop.payloadBytes));
          this.#endOfData();
        } else {
          const header = Buffer.alloc(5);
          header[0] = stop.code;
          header.writeUInt32BE(stop.payloadBytes + 4, 1);
          this.#handBack(Buffer.concat([header, chunk.subarray(offset)]));
        }
        return false;
      }
    }
    return true;
  }

  /** Cuts a full part; false (and the chunk held) when the previous part's handoff has not settled yet. */
  #cut(chunk: Buffer, offset: number): boolean {
    if (this.#handoff) {
      this.#held = { chunk, offset };
      this.#handoff.then(
        () => {
          this.#handoff = undefined;
          this.#pump();
        },
        (error: unknown) => this.#fail(error),
      );
      return false;
    }
    this.#startHandoff();
    return true;
  }

  #startHandoff(): void {
    const parser = this.#parser;
    const rows = parser.rows;
    const checksum = parser.checksum;
    const size = parser.complete;
    const target = takePartBuffer(size, parser.filled === parser.capacity, parser.capacity);
    parser.cutInto(target);
    const handoff = this.onPart({ body: target.subarray(0, size), rows, checksum }).then(() => {
      if (this.options.reuseBuffers && target.length >= this.options.partSizeBytes) returnPartBuffer(target);
    });
    handoff.catch(() => undefined);
    this.#handoff = handoff;
  }

  #endOfData(): void {
    this.#dataEnded = true;
    const parser = this.#parser;
    if (parser.filled !== parser.complete) {
      this.#fail(new Error('COPY output ended in the middle of a row'));
      return;
    }
    const last = async () => {
      if (this.#handoff) await this.#handoff;
      this.#handoff = undefined;
      if (parser.complete > 0) {
        this.#startHandoff();
        await this.#handoff;
      }
    };
    last().then(
      () => {
        this.#handoff = undefined;
        this.#finishIfDone();
      },
      (error: unknown) => this.#fail(error),
    );
  }

  #finishIfDone(): void {
    if (this.#settled || !this.#dataEnded || this.#handoff || !this.#readyForQuery) return;
    this.#settled = true;
    this.#parser.release();
    this.#resolve();
  }

  /** Gives the socket back to pg, feeding it the bytes we read past the COPY data. */
  #handBack(unread: Buffer): void {
    const connection = this.#connection!;
    const socket = connection.stream;
    socket.removeListener('readable', this.#onReadable);
    socket.addListener('data', this.#pgDataHandler!);
    if (unread.length > 0) this.#pgDataHandler!(unread);
    // Resume on the next tick: pg's handler may itself pause the socket while it runs.
    process.nextTick(() => socket.resume());
  }

  /**
   * A failed handoff or parse: the socket may still be ours and mid-COPY, so it cannot be handed back to pg; close
   * it, which ends the connection.
   */
  #fail(error: unknown): void {
    if (this.#settled) return;
    this.#settled = true;
    const socket = this.#connection?.stream;
    if (socket && !this.#dataEnded && socket.listeners('readable').includes(this.#onReadable)) {
      socket.removeListener('readable', this.#onReadable);
      socket.destroy();
    }
    this.#reject(error);
  }

  /** Called by pg when the server reports an error for this query (or the connection ends). */
  handleError(error: Error): void {
    this.#fail(error);
  }

  handleCommandComplete(): void {}

  handleReadyForQuery(): void {
    this.#readyForQuery = true;
    this.#finishIfDone();
  }
}
