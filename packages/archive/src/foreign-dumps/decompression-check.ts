import type { Transform } from 'node:stream';
import { finished } from 'node:stream/promises';

/**
 * Feeds compressed bytes through a decoder only to prove they decode (zlib checks its adler32/CRC and stream end,
 * zstd its frames) and to count the plain bytes; the output is dropped. The first error is kept and thrown by end().
 */
export class DecompressionCheck {
  readonly #decoder: Transform;
  readonly #done: Promise<void>;
  #plainBytes = 0;
  #fed = false;
  #error: Error | undefined;

  constructor(decoder: Transform) {
    this.#decoder = decoder;
    decoder.on('data', (chunk: Buffer) => {
      this.#plainBytes += chunk.length;
    });
    this.#done = finished(decoder).catch((error: Error) => {
      this.#error ??= error;
    });
  }

  /** Resolves once the decoder took the chunk (the chunk must stay unchanged until then). */
  async write(chunk: Buffer): Promise<void> {
    if (this.#error || chunk.length === 0) return;
    this.#fed = true;
    const written = new Promise<void>((resolve) => {
      this.#decoder.write(chunk, (error) => {
        if (error) this.#error ??= error;
        resolve();
      });
    });
    // A failing decoder never calls back for the chunk in flight; its end (this.#done) settles instead.
    await Promise.race([written, this.#done]);
  }

  /** Ends the input; resolves with the plain byte count, or throws what the decoder found wrong. */
  async end(): Promise<number> {
    if (!this.#fed) {
      // Nothing was written (an empty block): there is no stream to finish.
      this.#decoder.destroy();
      return 0;
    }
    this.#decoder.end();
    await this.#done;
    if (this.#error) throw this.#error;
    return this.#plainBytes;
  }
}
