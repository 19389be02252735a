import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createDataKey, createDecryptStream, createEncryptStream } from '@dbbackup/crypto';
import { describe, expect, it } from 'vitest';
import { createCompressStream } from '../src/compression/compress-stream.js';
import { createDecompressStream } from '../src/compression/decompress-stream.js';
import { ByteCounter } from '../src/counters.js';
import { Sha256Stream } from '../src/hash.js';
import { dumpLikeText } from './support.js';

const MiB = 1024 * 1024;

/**
 * A dump-like source of `totalBytes`, made fast by reusing a 1 MiB pool of text lines; each chunk gets its own
 * counter stamped every 4 KiB so chunks differ and the compressor cannot just see one repeated MiB.
 */
class GeneratedDumpSource extends Readable {
  private produced = 0;
  private chunkIndex = 0;
  constructor(
    private readonly pool: Buffer,
    private readonly totalBytes: number,
  ) {
    super({ highWaterMark: MiB });
  }
  override _read(): void {
    if (this.produced >= this.totalBytes) {
      this.push(null);
      return;
    }
    const size = Math.min(this.pool.length, this.totalBytes - this.produced);
    const chunk = Buffer.allocUnsafe(size);
    this.pool.copy(chunk, 0, 0, size);
    const stamp = `#${this.chunkIndex++}#`;
    for (let at = 0; at + stamp.length < size; at += 4096) chunk.write(stamp, at, 'latin1');
    this.produced += size;
    this.push(chunk);
  }
}

function discard(onChunk?: (chunk: Buffer) => void): Writable {
  return new Writable({
    highWaterMark: MiB,
    write(chunk: Buffer, _encoding, callback) {
      onChunk?.(chunk);
      callback();
    },
  });
}

describe('memory stays bounded', () => {
  it('2 GiB through zstd → encrypt (@dbbackup/crypto) → sha256 → discard: RSS grows < 200 MB', {
    timeout: 180_000,
  }, async () => {
    const total = 2 * 1024 * MiB;
    const pool = dumpLikeText(MiB, 42);
    const source = new GeneratedDumpSource(pool, total);
    const inputBytes = new ByteCounter();
    const hasher = new Sha256Stream();
    let storedBytes = 0;

    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 100);
    const started = performance.now();
    try {
      await pipeline(
        source,
        inputBytes,
        createCompressStream({ algorithm: 'zstd' }),
        createEncryptStream(createDataKey(), { member: 'data/000001.copy.zst' }),
        hasher,
        discard((chunk) => {
          storedBytes += chunk.length;
        }),
      );
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    const seconds = (performance.now() - started) / 1000;
    const growthMb = (peak - baseline) / 1e6;
    console.log(
      `2 GiB: ${seconds.toFixed(1)} s (${(total / 1e6 / seconds).toFixed(0)} MB/s), stored ${(storedBytes / 1e6).toFixed(1)} MB, ` +
        `RSS baseline ${(baseline / 1e6).toFixed(0)} MB, peak ${(peak / 1e6).toFixed(0)} MB, growth ${growthMb.toFixed(0)} MB`,
    );
    expect(inputBytes.bytes).toBe(total);
    expect(hasher.digest()).toMatch(/^[0-9a-f]{64}$/);
    expect(storedBytes).toBeGreaterThan(0);
    expect(storedBytes).toBeLessThan(total / 4);
    expect(growthMb).toBeLessThan(200);
  });

  it('the same chain round-trips exactly (64 MiB, zstd and gzip)', { timeout: 120_000 }, async () => {
    const total = 64 * MiB;
    const pool = dumpLikeText(MiB, 7);
    for (const algorithm of ['zstd', 'gzip'] as const) {
      const dataKey = createDataKey();
      const member = `data/000002.copy${algorithm === 'zstd' ? '.zst' : '.gz'}`;
      const sealed: Buffer[] = [];
      const inputHasher = new Sha256Stream();
      await pipeline(
        new GeneratedDumpSource(pool, total),
        inputHasher,
        createCompressStream({ algorithm }),
        createEncryptStream(dataKey, { member }),
        discard((chunk) => sealed.push(chunk)),
      );
      const outputHasher = createHash('sha256');
      let outputBytes = 0;
      await pipeline(
        Readable.from(sealed),
        createDecryptStream(dataKey, { member }),
        createDecompressStream(algorithm),
        discard((chunk) => {
          outputHasher.update(chunk);
          outputBytes += chunk.length;
        }),
      );
      expect(outputBytes).toBe(total);
      expect(outputHasher.digest('hex')).toBe(inputHasher.digest());
    }
  });
});
