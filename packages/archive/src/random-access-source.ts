import type { Readable } from 'node:stream';

/**
 * Where an archive is read from: a local file, or a cloud object read with ranged requests. The archive reader
 * only needs positional reads, so N workers can each stream a different member of the same source at once.
 */
export interface RandomAccessSource {
  /** Human-readable location used in error messages (a path or a URL without credentials). */
  readonly description: string;
  size(): Promise<number>;
  /** Reads `length` bytes at `offset`; returns fewer bytes only when the source ends first. */
  read(offset: number, length: number): Promise<Buffer>;
  /**
   * Optional: reads `length` bytes at `offset` into the start of `target` and returns how many were read (fewer
   * only when the source ends first). Lets a reader reuse its memory instead of allocating per read.
   */
  readInto?(offset: number, length: number, target: Buffer): Promise<number>;
  /** Streams exactly the range [offset, offset + length) (fewer bytes only when the source ends first). */
  createReadStream(offset: number, length: number): Readable;
  close(): Promise<void>;
}
