import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { RandomAccessSource } from './random-access-source.js';

const READ_CHUNK_SIZE = 1024 * 1024;

/**
 * Streams [offset, offset + length) of an open file with positional reads. (FileHandle.createReadStream would do,
 * but it adds a 'close' listener to the handle per stream that is never removed: thousands of members leak.)
 */
class FileRangeStream extends Readable {
  readonly #handle: FileHandle;
  #position: number;
  #remaining: number;

  constructor(handle: FileHandle, offset: number, length: number) {
    super({ highWaterMark: READ_CHUNK_SIZE });
    this.#handle = handle;
    this.#position = offset;
    this.#remaining = length;
  }

  override _read(): void {
    if (this.#remaining === 0) {
      this.push(null);
      return;
    }
    const buffer = Buffer.allocUnsafe(Math.min(READ_CHUNK_SIZE, this.#remaining));
    this.#handle.read(buffer, 0, buffer.length, this.#position).then(
      ({ bytesRead }) => {
        if (bytesRead === 0) {
          this.push(null); // the file is shorter than the range: the consumer's size check reports it
          return;
        }
        this.#position += bytesRead;
        this.#remaining -= bytesRead;
        this.push(bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead));
      },
      (error: Error) => this.destroy(error),
    );
  }
}

async function readFully(handle: FileHandle, offset: number, length: number, target: Buffer): Promise<number> {
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(target, filled, length - filled, offset + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled;
}

/**
 * A local file as a RandomAccessSource. One file handle serves every reader: reads are positional (pread), so
 * concurrent member streams do not disturb each other, and the file cannot be swapped underneath an open reader.
 */
export async function openFileSource(path: string): Promise<RandomAccessSource> {
  const handle = await open(path, 'r');
  let closing: Promise<void> | undefined;

  return {
    description: path,

    async size() {
      return (await handle.stat()).size;
    },

    async read(offset, length) {
      const buffer = Buffer.allocUnsafe(length);
      const filled = await readFully(handle, offset, length, buffer);
      return filled === length ? buffer : buffer.subarray(0, filled);
    },

    readInto(offset, length, target) {
      return readFully(handle, offset, length, target);
    },

    createReadStream(offset, length) {
      return new FileRangeStream(handle, offset, length);
    },

    close() {
      closing ??= handle.close();
      return closing;
    },
  };
}
