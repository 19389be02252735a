import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createCompressStream } from '../src/compression/compress-stream.js';
import { createDecompressStream } from '../src/compression/decompress-stream.js';
import type { ParallelBlockCompressor } from '../src/compression/parallel-block-compressor.js';
import { dumpLikeText, randomData, runThrough } from './support.js';

/** A source that records how many bytes it has handed out, so tests can see how far it runs ahead. */
class CountingSource extends Readable {
  produced = 0;
  private offset = 0;
  constructor(
    private readonly data: Buffer,
    private readonly chunkSize: number,
  ) {
    super();
  }
  override _read(): void {
    if (this.offset >= this.data.length) {
      this.push(null);
      return;
    }
    const chunk = this.data.subarray(this.offset, this.offset + this.chunkSize);
    this.offset += chunk.length;
    this.produced += chunk.length;
    this.push(chunk);
  }
}

function slowSink(delayMs: number, onChunk: (chunk: Buffer) => void): Writable {
  return new Writable({
    highWaterMark: 16 * 1024,
    write(chunk: Buffer, _encoding, callback) {
      onChunk(chunk);
      sleep(delayMs).then(() => callback());
    },
  });
}

describe('backpressure', () => {
  for (const algorithm of ['gzip', 'zstd'] as const) {
    it(`${algorithm}: a slow consumer gets the exact bytes and blocks in flight stay bounded`, async () => {
      const data = Buffer.concat([dumpLikeText(6_000_000), randomData(2_000_000)]);
      const compressor = createCompressStream({ algorithm, blockSize: 256 * 1024, maxBlocksInFlight: 3 });
      const received: Buffer[] = [];
      await pipeline(
        new CountingSource(data, 50_000),
        compressor,
        slowSink(5, (chunk) => received.push(chunk)),
      );
      // Several blocks were compressed at once, but never more than the window allows.
      expect((compressor as ParallelBlockCompressor).peakBlocksInFlight).toBeGreaterThanOrEqual(2);
      expect((compressor as ParallelBlockCompressor).peakBlocksInFlight).toBeLessThanOrEqual(3);
      const back = await runThrough(Buffer.concat(received), [1 << 20], createDecompressStream(algorithm));
      expect(back.equals(data)).toBe(true);
    });
  }

  it('the source is not read far ahead of a slow consumer (compress → decompress → slow sink)', async () => {
    const data = dumpLikeText(48 * 1024 * 1024);
    const source = new CountingSource(data, 64 * 1024);
    const compressor = createCompressStream({ algorithm: 'gzip', level: 1 });
    let consumed = 0;
    let largestLead = 0;
    await pipeline(
      source,
      compressor,
      createDecompressStream('gzip'),
      slowSink(5, (chunk) => {
        consumed += chunk.length;
        largestLead = Math.max(largestLead, source.produced - consumed);
      }),
    );
    expect(consumed).toBe(data.length);
    // Stage buffers (~1 MiB per side) plus the compression window (a few 1 MiB blocks): well under 48 MiB.
    expect(largestLead).toBeLessThan(20 * 1024 * 1024);
    expect((compressor as ParallelBlockCompressor).peakBlocksInFlight).toBeLessThanOrEqual(
      (compressor as ParallelBlockCompressor).maxBlocksInFlight,
    );
  });

  it('a slow consumer behind the zstd decompressor gets the exact bytes', async () => {
    // Highly compressible: one small input chunk expands to many output chunks, which must wait for the reader.
    const data = Buffer.concat([Buffer.alloc(8_000_000, 'a'), dumpLikeText(2_000_000)]);
    const compressed = await runThrough(data, [1 << 20], createCompressStream({ algorithm: 'zstd' }));
    const received: Buffer[] = [];
    await pipeline(
      Readable.from([compressed]),
      createDecompressStream('zstd'),
      slowSink(5, (chunk) => received.push(chunk)),
    );
    expect(Buffer.concat(received).equals(data)).toBe(true);
  });
});
