import { BoundaryFinder } from './boundary-finder.js';
import type { ChunkerParameters } from './chunker-parameters.js';

/**
 * Splits a byte stream into content-defined chunks (FastCDC). Streaming with constant memory: it holds at most one
 * chunk in progress (< maxSize) plus the input piece being scanned. The input is scanned where it lies; each chunk
 * is copied once into its own buffer, so a yielded chunk never pins a large input buffer and stays valid however
 * long the consumer keeps it. Accepts Buffers / Uint8Arrays (a Readable without an encoding) and strings (UTF-8).
 */
export async function* chunkStream(
  source: AsyncIterable<Uint8Array | string>,
  parameters: ChunkerParameters,
  gear: Int32Array,
): AsyncGenerator<Buffer> {
  const finder = new BoundaryFinder(parameters, gear);
  let pending: Uint8Array[] = [];
  let pendingLength = 0;

  function takeChunk(last: Uint8Array): Buffer {
    const chunk = Buffer.allocUnsafeSlow(pendingLength + last.length);
    let offset = 0;
    for (const piece of pending) {
      chunk.set(piece, offset);
      offset += piece.length;
    }
    chunk.set(last, offset);
    pending = [];
    pendingLength = 0;
    return chunk;
  }

  for await (const input of source) {
    const data = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
    let position = 0;
    while (position < data.length) {
      const cut = finder.scan(data, position, data.length);
      if (cut < 0) {
        pending.push(data.subarray(position));
        pendingLength += data.length - position;
        break;
      }
      yield takeChunk(data.subarray(position, cut));
      position = cut;
    }
  }
  if (pendingLength > 0) yield takeChunk(new Uint8Array(0));
}
