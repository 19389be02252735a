/**
 * Walks the tar headers of a random-access source without reading member bodies: read a 512-byte header, skip
 * the body rounded up to 512 bytes, repeat. Used to find manifest.json (the last member) and to cross-check the
 * offsets the manifest records.
 */
import type { RandomAccessSource } from '../random-access-source.js';
import {
  BLOCK_SIZE,
  parseHeaderBlock,
  parsePaxOverrides,
  roundUpToBlock,
  TYPE_PAX_EXTENDED,
  TYPE_PAX_GLOBAL,
} from './tar-header.js';

/** One regular member found in the tar: `offset` is where its body starts. */
export interface TarEntry {
  name: string;
  offset: number;
  size: number;
}

export type TarWalkStep =
  | { kind: 'entry'; entry: TarEntry }
  /** Two zero blocks: the archive ends here. */
  | { kind: 'end' }
  /** The source ends inside a header or a body: the writer was interrupted or the file was cut. */
  | { kind: 'truncated'; at: number }
  /** A header block that is not a tar header (bad checksum, garbage numbers, unreadable pax records). */
  | { kind: 'invalid'; at: number; reason: string };

const MAX_PAX_SIZE = 1024 * 1024;

/** Archives of many small members keep several headers within one window: one read serves them all. */
const READ_WINDOW = 64 * 1024;

/** Serves small reads from one cached window, so a cloud source makes one ranged request per window, not per header. */
function windowedReader(source: RandomAccessSource, sourceSize: number) {
  let windowStart = 0;
  let window: Buffer = Buffer.alloc(0);
  return async (offset: number, length: number): Promise<Buffer> => {
    if (offset < windowStart || offset + length > windowStart + window.length) {
      windowStart = offset;
      window = await source.read(offset, Math.min(Math.max(length, READ_WINDOW), sourceSize - offset));
    }
    return window.subarray(offset - windowStart, offset - windowStart + length);
  };
}

export async function* walkTar(source: RandomAccessSource, sourceSize: number): AsyncGenerator<TarWalkStep> {
  const read = windowedReader(source, sourceSize);
  let position = 0;
  let pending: { name?: string; size?: number } = {};
  for (;;) {
    if (position + BLOCK_SIZE > sourceSize) {
      yield { kind: 'truncated', at: position };
      return;
    }
    const header = parseHeaderBlock(await read(position, BLOCK_SIZE));
    if (header.kind === 'end') {
      yield { kind: 'end' };
      return;
    }
    if (header.kind === 'invalid') {
      yield { kind: 'invalid', at: position, reason: header.reason };
      return;
    }
    const bodyOffset = position + BLOCK_SIZE;
    const isPax = header.typeflag === TYPE_PAX_EXTENDED || header.typeflag === TYPE_PAX_GLOBAL;
    const size = isPax ? header.size : (pending.size ?? header.size);
    if (bodyOffset + size > sourceSize) {
      yield { kind: 'truncated', at: position };
      return;
    }
    if (isPax) {
      if (size > MAX_PAX_SIZE) {
        yield { kind: 'invalid', at: position, reason: `pax header of ${size} bytes` };
        return;
      }
      const overrides = parsePaxOverrides(await read(bodyOffset, size));
      if (overrides === null) {
        yield { kind: 'invalid', at: position, reason: 'unreadable pax records' };
        return;
      }
      // Global headers would apply to every later member; this archive never writes them, so they are skipped.
      if (header.typeflag === TYPE_PAX_EXTENDED) pending = overrides;
    } else {
      yield { kind: 'entry', entry: { name: pending.name ?? header.name, offset: bodyOffset, size } };
      pending = {};
    }
    position = bodyOffset + roundUpToBlock(size);
  }
}
