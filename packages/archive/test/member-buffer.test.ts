import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import zlib from 'node:zlib';
import { CorruptDataError } from '@dbbackup/crypto';
import type { CompressionAlgorithm } from '@dbbackup/pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveReader } from '../src/archive-reader.js';
import { ArchiveWriter } from '../src/archive-writer.js';
import { ArchiveFormatError, ChecksumMismatchError } from '../src/errors.js';
import { openFileSource } from '../src/file-source.js';
import type { MemberEntry } from '../src/manifest-types.js';
import { MemberScratch } from '../src/member-buffer.js';
import { splitZstdFrames, ZstdFrameError } from '../src/zstd-frames.js';
import {
  bufferSource,
  dumpText,
  makeMasterKey,
  makeTempDirectory,
  manifestFields,
  readAll,
  sha256,
  writerOptions,
  writeSample,
} from './helpers.js';

type Key = ReturnType<typeof makeMasterKey>;

let directory: Awaited<ReturnType<typeof makeTempDirectory>>;
beforeAll(async () => {
  directory = await makeTempDirectory();
});
afterAll(async () => {
  await directory.remove();
});

/** The archive as a file, read through openFileSource (which reads into a scratch with readInto). */
async function openFileSourceOf(bytes: Buffer) {
  const path = join(directory.path, `archive-${randomBytes(4).toString('hex')}.dbb`);
  await writeFile(path, bytes);
  return openFileSource(path);
}

async function sampleArchive(algorithm: CompressionAlgorithm, masterKey?: Key) {
  const sink = new PassThrough();
  const collected = readAll(sink);
  const { entries, members } = await writeSample(await ArchiveWriter.create(sink, writerOptions(algorithm, masterKey)));
  return { bytes: await collected, entries, members };
}

function keyOptions(masterKey?: Key) {
  return masterKey ? { keyProvider: async () => masterKey } : {};
}

function flipByteInMember(bytes: Buffer, entry: MemberEntry): Buffer {
  const damaged = Buffer.from(bytes);
  damaged[entry.offset + Math.floor(entry.storedSize / 2)]! ^= 0x40;
  return damaged;
}

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

/** An archive with one member whose stored bytes are given as is (what a faulty writer would produce). */
async function archiveWithStoredBytes(
  algorithm: CompressionAlgorithm,
  stored: Buffer,
  plainSize: number,
  masterKey?: Key,
) {
  const sink = new PassThrough();
  const collected = readAll(sink);
  const writer = await ArchiveWriter.create(sink, writerOptions(algorithm, masterKey));
  const name = writer.allocateName('data', '.copy');
  const entry = await writer.appendEncoded(
    { kind: 'data' },
    { name, chunks: [stored], storedSize: stored.length, plainSize, sha256: sha256(stored) },
  );
  await writer.finish(manifestFields());
  const reader = await ArchiveReader.open(bufferSource(await collected), keyOptions(masterKey));
  return { reader, entry };
}

const variants = [
  ['zstd', false],
  ['gzip', false],
  ['none', false],
  ['zstd', true],
  ['gzip', true],
  ['none', true],
] as const;

describe('readMemberBuffer', () => {
  it.each(variants)('%s (encrypted: %s): returns every member exactly', async (algorithm, encrypted) => {
    const masterKey = encrypted ? makeMasterKey() : undefined;
    const { bytes, entries, members } = await sampleArchive(algorithm, masterKey);
    const reader = await ArchiveReader.open(bufferSource(bytes), keyOptions(masterKey));
    // The 5 MB member spans several zstd frames / gzip members: every one of them must be decoded.
    for (const [index, entry] of entries.entries()) {
      expect((await reader.readMemberBuffer(entry)).equals(members[index]!.body)).toBe(true);
    }
  });

  it.each(variants)(
    '%s (encrypted: %s): a flipped byte is a ChecksumMismatchError, found before decrypting',
    async (algorithm, encrypted) => {
      const masterKey = encrypted ? makeMasterKey() : undefined;
      const { bytes, entries } = await sampleArchive(algorithm, masterKey);
      for (const target of [entries[3]!, entries[1]!]) {
        const reader = await ArchiveReader.open(bufferSource(flipByteInMember(bytes, target)), keyOptions(masterKey));
        const error = await errorOf(reader.readMemberBuffer(target));
        // Encrypted too: the stream path may fail on the GCM tag first, the buffer path always checks sha256 first.
        expect(error).toBeInstanceOf(ChecksumMismatchError);
        expect(error).toMatchObject({ member: target.name, expected: target.sha256, code: 'CHECKSUM_MISMATCH' });
        expect((await reader.readMemberBuffer(entries[4]!)).length).toBe(entries[4]!.plainSize);
      }
    },
  );

  it.each(variants)('%s (encrypted: %s): a reused scratch gives every member exactly', async (algorithm, encrypted) => {
    const masterKey = encrypted ? makeMasterKey() : undefined;
    const { bytes, entries, members } = await sampleArchive(algorithm, masterKey);
    for (const source of [bufferSource(bytes), await openFileSourceOf(bytes)]) {
      const reader = await ArchiveReader.open(source, { ...keyOptions(masterKey), closeSource: true });
      const scratch = new MemberScratch();
      // Big, then small, then big again: a smaller member must not show bytes of the bigger one before it.
      for (const index of [3, 1, 2, 4, 3, 0]) {
        const plain = await reader.readMemberBuffer(entries[index]!, scratch);
        expect(plain.equals(members[index]!.body)).toBe(true);
      }
      await reader.close();
    }
  });

  it('a source that ends early is a ChecksumMismatchError', async () => {
    const { bytes, entries } = await sampleArchive('zstd');
    const target = entries[3]!;
    const reader = await ArchiveReader.open(bufferSource(bytes));
    const short = { ...target, storedSize: target.storedSize + bytes.length };
    const error = await errorOf(reader.readMemberBuffer(short));
    expect(error).toBeInstanceOf(ChecksumMismatchError);
  });

  it.each(['zstd', 'gzip'] as const)(
    '%s: undecodable bytes with a matching checksum are an ArchiveFormatError',
    async (algorithm) => {
      const { reader, entry } = await archiveWithStoredBytes(algorithm, randomBytes(10_000), 20_000);
      const error = await errorOf(reader.readMemberBuffer(entry));
      expect(error).toBeInstanceOf(ArchiveFormatError);
      expect((error as Error).message).toContain(`member ${entry.name} cannot be decompressed`);
    },
  );

  it('zstd: a frame cut short with a matching checksum is an ArchiveFormatError', async () => {
    const frame = zlib.zstdCompressSync(dumpText(100_000, 3));
    const { reader, entry } = await archiveWithStoredBytes('zstd', frame.subarray(0, frame.length - 10), 100_000);
    const error = await errorOf(reader.readMemberBuffer(entry));
    expect(error).toBeInstanceOf(ArchiveFormatError);
    expect((error as Error).message).toContain(entry.name);
  });

  it.each(['zstd', 'gzip'] as const)(
    '%s: a plain size other than the manifest is an ArchiveFormatError',
    async (algorithm) => {
      const plain = dumpText(100_000, 4);
      const stored = algorithm === 'zstd' ? zlib.zstdCompressSync(plain) : zlib.gzipSync(plain);
      for (const recorded of [99_999, 100_001]) {
        const { reader, entry } = await archiveWithStoredBytes(algorithm, stored, recorded);
        const error = await errorOf(reader.readMemberBuffer(entry));
        expect(error).toBeInstanceOf(ArchiveFormatError);
        expect((error as Error).message).toContain(entry.name);
      }
    },
  );

  it('encrypted: bytes that match their checksum but fail the GCM tag are a CorruptDataError', async () => {
    const masterKey = makeMasterKey();
    const { reader, entry } = await archiveWithStoredBytes('none', randomBytes(5_000), 4_000, masterKey);
    const error = await errorOf(reader.readMemberBuffer(entry));
    expect(error).toBeInstanceOf(CorruptDataError);
    expect(error).toMatchObject({ member: entry.name });
  });
});

async function chunksOf(iterable: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of iterable) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

describe('readMemberChunks', () => {
  it.each(variants)('%s (encrypted: %s): yields every member exactly', async (algorithm, encrypted) => {
    const masterKey = encrypted ? makeMasterKey() : undefined;
    const { bytes, entries, members } = await sampleArchive(algorithm, masterKey);
    const reader = await ArchiveReader.open(bufferSource(bytes), keyOptions(masterKey));
    const scratch = new MemberScratch();
    for (const [index, entry] of entries.entries()) {
      expect((await chunksOf(reader.readMemberChunks(entry, scratch))).equals(members[index]!.body)).toBe(true);
    }
  });

  it.each(variants)('%s (encrypted: %s): a flipped byte fails before the first chunk', async (algorithm, encrypted) => {
    const masterKey = encrypted ? makeMasterKey() : undefined;
    const { bytes, entries } = await sampleArchive(algorithm, masterKey);
    const target = entries[3]!;
    const reader = await ArchiveReader.open(bufferSource(flipByteInMember(bytes, target)), keyOptions(masterKey));
    let chunks = 0;
    const error = await errorOf(
      (async () => {
        for await (const _chunk of reader.readMemberChunks(target)) chunks++;
      })(),
    );
    expect(error).toBeInstanceOf(ChecksumMismatchError);
    expect(error).toMatchObject({ member: target.name });
    expect(chunks).toBe(0);
  });

  it.each(['zstd', 'gzip'] as const)(
    '%s: a plain size other than the manifest fails the iteration',
    async (algorithm) => {
      const plain = dumpText(100_000, 6);
      const stored = algorithm === 'zstd' ? zlib.zstdCompressSync(plain) : zlib.gzipSync(plain);
      for (const recorded of [99_999, 100_001]) {
        const { reader, entry } = await archiveWithStoredBytes(algorithm, stored, recorded);
        const error = await errorOf(chunksOf(reader.readMemberChunks(entry)));
        expect(error).toBeInstanceOf(ArchiveFormatError);
        expect((error as Error).message).toContain(entry.name);
      }
    },
  );
});

describe('splitZstdFrames', () => {
  const one = zlib.zstdCompressSync(dumpText(50_000, 5), {
    params: { [zlib.constants.ZSTD_c_checksumFlag]: 1 },
  });
  const two = zlib.zstdCompressSync(Buffer.alloc(300_000, 7), { pledgedSrcSize: 300_000 });
  const skippable = Buffer.concat([Buffer.from([0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0]), Buffer.from('abc')]);

  it('finds every frame and skips skippable frames', () => {
    const frames = splitZstdFrames(Buffer.concat([one, skippable, two])).map((frame) => frame.bytes);
    expect(frames.map((frame) => frame.length)).toEqual([one.length, two.length]);
    expect(frames[1]!.equals(two)).toBe(true);
    expect(splitZstdFrames(two)[0]!.contentSize).toBe(300_000);
  });

  it('rejects truncated frames and foreign bytes', () => {
    expect(() => splitZstdFrames(Buffer.concat([one, two.subarray(0, two.length - 1)]))).toThrow(ZstdFrameError);
    expect(() => splitZstdFrames(Buffer.concat([one, Buffer.from('nope')]))).toThrow(ZstdFrameError);
  });
});
