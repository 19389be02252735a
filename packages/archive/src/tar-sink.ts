/**
 * The byte sink under an archive writer: writes buffers in order, waits for 'drain' when the sink's buffer is full
 * (constant memory however fast members are produced), and counts and hashes every byte written, which gives the
 * archive's size, its sha256, and the offset of every member body.
 */
import { createHash } from 'node:crypto';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';

export class TarSink {
  readonly #sink: Writable;
  readonly #hash = createHash('sha256');
  #bytes = 0;
  #error: Error | undefined;

  constructor(sink: Writable) {
    this.#sink = sink;
    // Keep the sink's error so the next write reports it (and an 'error' without a listener cannot crash the process).
    sink.on('error', (error: Error) => {
      this.#error ??= error;
    });
  }

  /** Bytes written so far: the offset the next write lands at. */
  get bytes(): number {
    return this.#bytes;
  }

  async write(buffer: Buffer): Promise<void> {
    this.#throwIfFailed();
    if (buffer.length === 0) return;
    this.#hash.update(buffer);
    this.#bytes += buffer.length;
    if (!this.#sink.write(buffer)) await this.#drain();
  }

  /** Ends the sink and resolves once it has flushed everything (and, for file streams, closed). */
  async end(): Promise<string> {
    this.#throwIfFailed();
    this.#sink.end();
    // Only the writable side matters: a Duplex sink (a PassThrough feeding an upload) ends when its reader is done.
    await finished(this.#sink, { readable: false });
    // A finished sink is destroyed (autoDestroy), so only an error recorded on the way counts here.
    if (this.#error) throw this.#error;
    return this.#hash.digest('hex');
  }

  destroy(error?: Error): void {
    this.#error ??= error ?? new Error('the archive writer was aborted');
    this.#sink.destroy(error);
  }

  #throwIfFailed(): void {
    if (this.#error) throw this.#error;
    if (this.#sink.destroyed) throw new Error('the archive sink was closed before the archive was finished');
  }

  #drain(): Promise<void> {
    const sink = this.#sink;
    return new Promise((resolve, reject) => {
      const cleanup = () => {
        sink.off('drain', onDrain);
        sink.off('error', onError);
        sink.off('close', onClose);
      };
      const onDrain = () => {
        cleanup();
        resolve();
      };
      const onError = (error: Error) => {
        cleanup();
        reject(error);
      };
      const onClose = () => {
        cleanup();
        reject(this.#error ?? new Error('the archive sink was closed before the archive was finished'));
      };
      sink.on('drain', onDrain);
      sink.on('error', onError);
      sink.on('close', onClose);
    });
  }
}
