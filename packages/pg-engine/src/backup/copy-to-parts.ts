import type { Readable } from 'node:stream';
import { RowChecksum } from '@dbbackup/engine-kit';

/** The first buffer of a stream; it doubles until it reaches the part size. */
const INITIAL_BUFFER_BYTES = 64 * 1024;

export interface CopyPart {
  /** Whole COPY text lines. Valid until the onPart promise settles (the buffer may then be reused). */
  body: Buffer;
  rows: number;
  checksum: string;
}

export interface CopyToPartsOptions {
  partSizeBytes: number;
  /**
   * Reuse a part's buffer once its onPart promise resolved. Only safe when the receiver keeps no reference to the
   * body afterwards (it compressed/encrypted it into new buffers); fresh 32 MiB buffers cost page faults that
   * profiled at ~1 s per 200 MB.
   */
  reuseBuffers: boolean;
}

/**
 * Cuts a COPY TO STDOUT text stream into parts of about `partSizeBytes` at line boundaries, hashing lines as they
 * arrive (no per-row parsing). One part is being handed off while the next one fills, so memory stays at about two
 * part buffers per stream whatever the table size. A single row larger than a part grows the buffer.
 */
export async function copyStreamToParts(
  stream: Readable,
  options: CopyToPartsOptions,
  onPart: (part: CopyPart) => Promise<void>,
): Promise<void> {
  const { partSizeBytes, reuseBuffers } = options;
  const spare: Buffer[] = [];
  // Start small and double up to a part's size: most tables of a large schema hold a few rows, and a fresh
  // 32 MiB buffer per table made thousands of them cost seconds of allocation and garbage collection.
  let buffer: Buffer = Buffer.allocUnsafe(Math.min(partSizeBytes, INITIAL_BUFFER_BYTES));
  let filled = 0;
  /** Offset just after the last complete (hashed) line. */
  let complete = 0;
  let checksum = new RowChecksum();
  let handoff: Promise<void> | undefined;

  const takeBuffer = (minimum: number): Buffer => {
    const reused = spare.pop();
    return reused && reused.length >= minimum ? reused : Buffer.allocUnsafe(Math.max(partSizeBytes, minimum));
  };

  const startHandoff = (body: Buffer, whole: Buffer, rows: number, hex: string): void => {
    handoff = onPart({ body, rows, checksum: hex }).then(() => {
      if (reuseBuffers) spare.push(whole);
    });
    // Observed when awaited; avoid an unhandled rejection while the next part fills.
    handoff.catch(() => undefined);
  };

  const makeRoom = async (): Promise<void> => {
    if (complete === 0 || buffer.length < partSizeBytes) {
      // Not yet a part's size, or one row longer than the buffer: grow it.
      const bigger = Buffer.allocUnsafe(
        complete === 0 ? buffer.length * 2 : Math.min(partSizeBytes, buffer.length * 2),
      );
      buffer.copy(bigger, 0, 0, filled);
      buffer = bigger;
      return;
    }
    if (handoff) await handoff;
    const full = buffer;
    const tail = filled - complete;
    buffer = takeBuffer(tail * 2);
    full.copy(buffer, 0, complete, filled);
    startHandoff(full.subarray(0, complete), full, checksum.rows, checksum.hex());
    filled = tail;
    complete = 0;
    checksum = new RowChecksum();
  };

  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let offset = 0;
    while (offset < chunk.length) {
      if (filled === buffer.length) await makeRoom();
      const count = Math.min(buffer.length - filled, chunk.length - offset);
      chunk.copy(buffer, filled, offset, offset + count);
      filled += count;
      offset += count;
      complete = checksum.addLines(buffer, complete, filled);
    }
  }
  if (filled !== complete) throw new Error('COPY output ended in the middle of a row');
  if (handoff) await handoff;
  if (complete > 0) startHandoff(buffer.subarray(0, complete), buffer, checksum.rows, checksum.hex());
  if (handoff) await handoff;
}
