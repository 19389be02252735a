import { describe, expect, it } from 'vitest';
import { createCompressStream } from '../src/compression/compress-stream.js';
import {
  type CompressionAlgorithm,
  compressionExtension,
  DEFAULT_COMPRESSION_LEVEL,
  resolveCompression,
} from '../src/compression/compression-options.js';
import { createDecompressStream } from '../src/compression/decompress-stream.js';
import type { ParallelBlockCompressor } from '../src/compression/parallel-block-compressor.js';
import { CorruptCompressedDataError, InvalidCompressionError } from '../src/errors.js';
import { dumpLikeText, hasBinary, randomData, runCommand, runThrough } from './support.js';

const ODD_SIZES = [1, 7, 4099, 65537, 1048579, 13];
const samples: Array<{ algorithm: CompressionAlgorithm; level?: number }> = [
  { algorithm: 'zstd' },
  { algorithm: 'zstd', level: 3 },
  { algorithm: 'zstd', level: 19 },
  { algorithm: 'gzip', level: 1 },
  { algorithm: 'gzip' },
  { algorithm: 'gzip', level: 9 },
  { algorithm: 'none' },
];
const inputs: Array<{ name: string; data: Buffer }> = [
  { name: '0 bytes', data: Buffer.alloc(0) },
  { name: '1 byte', data: Buffer.from('x') },
  { name: 'random 3 MB + 17', data: randomData(3_000_017) },
  { name: 'repetitive 5 MB', data: dumpLikeText(5_000_000) },
];

describe('compression round trip', () => {
  for (const sample of samples) {
    for (const input of inputs) {
      it(`${sample.algorithm} ${sample.level ?? 'default'}: ${input.name}`, async () => {
        const compressed = await runThrough(input.data, ODD_SIZES, createCompressStream(sample));
        if (sample.algorithm === 'none') expect(compressed.equals(input.data)).toBe(true);
        if (input.name.startsWith('repetitive') && sample.algorithm !== 'none') {
          expect(compressed.length).toBeLessThan(input.data.length / 2);
        }
        // Odd chunk sizes on the way back too, and one single chunk holding every member/frame.
        const back = await runThrough(compressed, [3, 70001, 5], createDecompressStream(sample.algorithm));
        expect(back.equals(input.data)).toBe(true);
        const whole = await runThrough(compressed, [compressed.length || 1], createDecompressStream(sample.algorithm));
        expect(whole.equals(input.data)).toBe(true);
      });
    }
  }

  it('small blocks: many members/frames cross chunk boundaries and stay in order', async () => {
    const data = Buffer.concat([dumpLikeText(2_000_000), randomData(500_000), dumpLikeText(1_000_000, 7)]);
    for (const algorithm of ['zstd', 'gzip'] as const) {
      const stream = createCompressStream({ algorithm, blockSize: 4096, maxBlocksInFlight: 4 });
      const compressed = await runThrough(data, [4095, 1, 8193, 100_000], stream);
      expect((stream as ParallelBlockCompressor).peakBlocksInFlight).toBeLessThanOrEqual(4);
      const back = await runThrough(compressed, [compressed.length], createDecompressStream(algorithm));
      expect(back.equals(data)).toBe(true);
    }
  });
});

describe('zstd frame boundaries', () => {
  it('skips skippable frames and reads headers split into 1-byte writes', async () => {
    const first = await runThrough(Buffer.from('first frame\n'), [1], createCompressStream({ algorithm: 'zstd' }));
    const second = await runThrough(dumpLikeText(20_000), [1], createCompressStream({ algorithm: 'zstd', level: 19 }));
    const skippable = Buffer.alloc(8 + 5);
    skippable.writeUInt32LE(0x184d2a53, 0);
    skippable.writeUInt32LE(5, 4);
    skippable.write('hello', 8);
    const joined = Buffer.concat([first, skippable, second, first]);
    const expected = Buffer.concat([Buffer.from('first frame\n'), dumpLikeText(20_000), Buffer.from('first frame\n')]);
    for (const sizes of [[1], [2, 3], [joined.length]]) {
      expect((await runThrough(joined, sizes, createDecompressStream('zstd'))).equals(expected)).toBe(true);
    }
  });
});

describe('interoperability with the command-line tools', () => {
  const data = Buffer.concat([dumpLikeText(3_500_000), randomData(1_500_003)]);

  it('gunzip -c reads our multi-member gzip', async () => {
    const compressed = await runThrough(data, [65536], createCompressStream({ algorithm: 'gzip' }));
    const members = countOccurrences(compressed, Buffer.from([0x1f, 0x8b, 0x08]));
    expect(members).toBeGreaterThanOrEqual(5); // 5 MB in 1 MiB blocks
    expect((await runCommand('gunzip', ['-c'], compressed)).equals(data)).toBe(true);
  });

  it('we read gzip -c output, and gunzip reads an empty input member', async () => {
    const gzipped = await runCommand('gzip', ['-c', '-6'], data);
    expect((await runThrough(gzipped, [70000], createDecompressStream('gzip'))).equals(data)).toBe(true);
    const empty = await runThrough(Buffer.alloc(0), [1], createCompressStream({ algorithm: 'gzip' }));
    expect((await runCommand('gunzip', ['-c'], empty)).length).toBe(0);
  });

  // The zstd binary is optional on build machines: only these assertions skip without it.
  const zstdAvailable = hasBinary('zstd');
  it.skipIf(!zstdAvailable)('zstd -dc reads our multi-frame zstd, and we read zstd -c output', async () => {
    const compressed = await runThrough(data, [65536], createCompressStream({ algorithm: 'zstd', level: 3 }));
    expect((await runCommand('zstd', ['-dc'], compressed)).equals(data)).toBe(true);
    const empty = await runThrough(Buffer.alloc(0), [1], createCompressStream({ algorithm: 'zstd' }));
    expect((await runCommand('zstd', ['-dc'], empty)).length).toBe(0);
    const fromCli = await runCommand('zstd', ['-c', '-3'], data);
    expect((await runThrough(fromCli, [70000], createDecompressStream('zstd'))).equals(data)).toBe(true);
  });

  it.skipIf(!zstdAvailable)('frames concatenated from separate zstd -c runs decode as one stream', async () => {
    const parts = await Promise.all([
      runCommand('zstd', ['-c', '--no-check'], data.subarray(0, 1000)),
      runCommand('zstd', ['-c', '--check'], data.subarray(1000, 2_000_000)),
      runCommand('zstd', ['-c'], data.subarray(2_000_000)),
    ]);
    const joined = Buffer.concat(parts);
    expect((await runThrough(joined, [joined.length], createDecompressStream('zstd'))).equals(data)).toBe(true);
  });
});

describe('damaged compressed data', () => {
  const data = dumpLikeText(3_000_000);

  it('a truncated zstd stream errors instead of returning less data', async () => {
    const compressed = await runThrough(data, [65536], createCompressStream({ algorithm: 'zstd' }));
    const cut = compressed.subarray(0, compressed.length - 100);
    await expect(runThrough(cut, [cut.length], createDecompressStream('zstd'))).rejects.toBeInstanceOf(
      CorruptCompressedDataError,
    );
  });

  it('bytes that are not zstd error with CorruptCompressedDataError', async () => {
    const compressed = await runThrough(data, [65536], createCompressStream({ algorithm: 'zstd' }));
    const withGarbage = Buffer.concat([compressed, Buffer.from('this is not a zstd frame at all')]);
    const error = await runThrough(withGarbage, [withGarbage.length], createDecompressStream('zstd')).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(CorruptCompressedDataError);
    expect((error as Error).message).toMatch(/not zstd data at byte \d+/);
  });

  for (const algorithm of ['zstd', 'gzip'] as const) {
    it(`${algorithm}: flipped bits inside the compressed data are detected`, async () => {
      const compressed = await runThrough(data, [65536], createCompressStream({ algorithm }));
      const damaged = Buffer.from(compressed);
      const middle = Math.floor(damaged.length / 2);
      for (let i = 0; i < 16; i++) damaged[middle + i] = damaged[middle + i]! ^ 0x5a;
      await expect(runThrough(damaged, [damaged.length], createDecompressStream(algorithm))).rejects.toThrow();
    });
  }

  it('a truncated gzip stream errors', async () => {
    const compressed = await runThrough(data, [65536], createCompressStream({ algorithm: 'gzip' }));
    const cut = compressed.subarray(0, compressed.length - 100);
    await expect(runThrough(cut, [cut.length], createDecompressStream('gzip'))).rejects.toThrow(/end of file/);
  });
});

describe('options', () => {
  it('defaults: zstd 1, gzip 6, none 0', () => {
    expect(DEFAULT_COMPRESSION_LEVEL).toEqual({ zstd: 1, gzip: 6, none: 0 });
    expect(resolveCompression({ algorithm: 'zstd' })).toEqual({ algorithm: 'zstd', level: 1 });
    expect(resolveCompression({ algorithm: 'gzip' })).toEqual({ algorithm: 'gzip', level: 6 });
    expect(resolveCompression({ algorithm: 'none' })).toEqual({ algorithm: 'none', level: 0 });
  });

  it.each([
    [{ algorithm: 'zstd', level: 0 }, /invalid zstd compression level 0: use a whole number from 1 to 19/],
    [{ algorithm: 'zstd', level: 20 }, /from 1 to 19/],
    [{ algorithm: 'zstd', level: 2.5 }, /from 1 to 19/],
    [{ algorithm: 'gzip', level: 0 }, /invalid gzip compression level 0: use a whole number from 1 to 9/],
    [{ algorithm: 'gzip', level: 10 }, /from 1 to 9/],
    [{ algorithm: 'none', level: 3 }, /compression 'none' takes no level/],
    [{ algorithm: 'brotli' }, /unknown compression algorithm "brotli": use one of zstd, gzip, none/],
    [{ algorithm: 'zstd', blockSize: 100 }, /invalid compression block size 100/],
    [{ algorithm: 'gzip', maxBlocksInFlight: 0 }, /invalid maxBlocksInFlight 0/],
  ])('rejects %j', (options, message) => {
    const create = () => createCompressStream(options as never);
    expect(create).toThrow(InvalidCompressionError);
    expect(create).toThrow(message);
  });

  it('rejects an unknown algorithm when decompressing', () => {
    expect(() => createDecompressStream('lz4' as CompressionAlgorithm)).toThrow(InvalidCompressionError);
  });

  it('extensions', () => {
    expect(compressionExtension('zstd')).toBe('.zst');
    expect(compressionExtension('gzip')).toBe('.gz');
    expect(compressionExtension('none')).toBe('');
  });
});

function countOccurrences(haystack: Buffer, needle: Buffer): number {
  let count = 0;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) count++;
  return count;
}
