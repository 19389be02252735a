import { describe, expect, it } from 'vitest';
import { compressBuffer } from '../src/compression/compress-buffer.js';
import { createCompressStream } from '../src/compression/compress-stream.js';
import { createDecompressStream } from '../src/compression/decompress-stream.js';
import { dumpLikeText, randomData, runThrough } from './support.js';

describe('compressBuffer', () => {
  const data = Buffer.concat([dumpLikeText(3_000_000), randomData(700_001)]);

  for (const algorithm of ['zstd', 'gzip'] as const) {
    it(`${algorithm}: the same bytes as the stream compressor, and they decompress to the input`, async () => {
      const options = { algorithm, blockSize: 65_536, maxBlocksInFlight: 3 };
      const chunks = await compressBuffer(data, options);
      expect(chunks.length).toBe(Math.ceil(data.length / 65_536));
      const viaStream = await runThrough(data, [4099, 100_003], createCompressStream(options));
      expect(Buffer.concat(chunks).equals(viaStream)).toBe(true);
      const back = await runThrough(Buffer.concat(chunks), [70_001], createDecompressStream(algorithm));
      expect(back.equals(data)).toBe(true);
    });

    it(`${algorithm}: an empty buffer still gives one frame that decompresses to nothing`, async () => {
      const chunks = await compressBuffer(Buffer.alloc(0), { algorithm });
      expect(chunks).toHaveLength(1);
      const back = await runThrough(Buffer.concat(chunks), [1], createDecompressStream(algorithm));
      expect(back.length).toBe(0);
    });
  }

  it('none: hands back the input itself', async () => {
    const chunks = await compressBuffer(data, { algorithm: 'none' });
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toBe(data);
  });

  it('rejects an invalid level before compressing anything', async () => {
    await expect(compressBuffer(data, { algorithm: 'zstd', level: 99 })).rejects.toThrow(/level/);
  });
});
