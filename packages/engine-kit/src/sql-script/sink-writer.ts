import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';

/**
 * Writes into the app's sink with backpressure (waits for 'drain' when the sink's buffer is full), counting bytes.
 * A sink that fails or closes early makes the next write throw instead of waiting forever.
 */
export class SinkWriter {
  bytes = 0;
  private failure: Error | undefined;

  constructor(private readonly sink: Writable) {
    sink.on('error', (error: Error) => {
      this.failure ??= error;
    });
  }

  async write(chunk: string | Buffer): Promise<void> {
    if (!this.writeNow(chunk)) await this.drained();
  }

  /**
   * Writes synchronously (for producers that cannot await, such as the raw row reader); false means the sink's
   * buffer is full and the producer should pause until `drained()` resolves.
   */
  writeNow(chunk: string | Buffer): boolean {
    this.check();
    this.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    return this.sink.write(chunk);
  }

  /** Ends the sink and waits until everything written has been processed. */
  async end(): Promise<void> {
    this.check();
    this.sink.end();
    await finished(this.sink, { readable: false });
  }

  /** Destroys the sink with the error, so the app's pipeline fails too (no truncated script looks complete). */
  fail(error: Error): void {
    if (!this.sink.destroyed) this.sink.destroy(error);
  }

  private check(): void {
    if (this.failure) throw this.failure;
    if (this.sink.destroyed || this.sink.writableEnded) {
      throw new Error('the SQL script output was closed before the script was complete');
    }
  }

  drained(): Promise<void> {
    return new Promise((resolve, reject) => {
      const settle = (error?: Error) => {
        this.sink.off('drain', onDrain);
        this.sink.off('close', onClose);
        this.sink.off('error', onError);
        if (error) reject(error);
        else resolve();
      };
      const onDrain = () => settle();
      const onError = (error: Error) => settle(error);
      const onClose = () =>
        settle(this.failure ?? new Error('the SQL script output was closed before the script was complete'));
      this.sink.on('drain', onDrain);
      this.sink.on('close', onClose);
      this.sink.on('error', onError);
    });
  }
}
