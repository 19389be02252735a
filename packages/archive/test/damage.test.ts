import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CorruptDataError, MissingKeyError, WrongKeyError } from '@dbbackup/crypto';
import type { CompressionAlgorithm } from '@dbbackup/pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveReader } from '../src/archive-reader.js';
import { ArchiveWriter } from '../src/archive-writer.js';
import {
  ArchiveFormatError,
  ChecksumMismatchError,
  IncompleteBackupError,
  UnsupportedFormatError,
} from '../src/errors.js';
import type { MemberEntry } from '../src/manifest-types.js';
import { encodeMemberHeader, endOfArchive, paddingFor } from '../src/tar/tar-header.js';
import {
  bufferSource,
  makeMasterKey,
  makeTempDirectory,
  manifestFields,
  readAll,
  sha256,
  writerOptions,
  writeSample,
} from './helpers.js';

let directory: Awaited<ReturnType<typeof makeTempDirectory>>;

beforeAll(async () => {
  directory = await makeTempDirectory();
});
afterAll(async () => {
  await directory.remove();
});

async function sampleArchive(algorithm: CompressionAlgorithm, masterKey?: ReturnType<typeof makeMasterKey>) {
  const sink = new PassThrough();
  const collected = readAll(sink);
  const { entries, result } = await writeSample(await ArchiveWriter.create(sink, writerOptions(algorithm, masterKey)));
  return { bytes: await collected, entries, result };
}

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('truncated archives', () => {
  it('reports IncompleteBackupError wherever the file is cut', async () => {
    const { bytes, entries } = await sampleArchive('zstd');
    const big = entries[3]!;
    // The manifest header sits right after the last member's padded body.
    const last = entries.at(-1)!;
    const manifestHeader = last.offset + last.storedSize + paddingFor(last.storedSize);
    const cuts = [
      512 + 20, // inside header.json's body
      1024, // header.json complete, nothing after it
      entries[0]!.offset - 100, // inside the first member's header block
      big.offset + 1000, // inside a data member
      big.offset + big.storedSize, // right after a member body, before its padding
      manifestHeader, // just before the manifest
      manifestHeader + 300, // inside the manifest's header block
      manifestHeader + 512 + 10, // inside the manifest body
    ];
    for (const cut of cuts) {
      const error = await errorOf(ArchiveReader.open(bufferSource(bytes.subarray(0, cut), `cut-at-${cut}.dbb`)));
      expect(error, `cut at ${cut}`).toBeInstanceOf(IncompleteBackupError);
      expect((error as Error).message).toBe(
        `backup cut-at-${cut}.dbb is incomplete: it has no manifest (the backup was interrupted or the file is truncated); take a new backup`,
      );
      expect((error as IncompleteBackupError).code).toBe('INCOMPLETE_BACKUP');
    }
    // Cut inside header.json's header block: a killed writer's first bytes.
    expect(await errorOf(ArchiveReader.open(bufferSource(bytes.subarray(0, 100))))).toBeInstanceOf(
      IncompleteBackupError,
    );
  });
});

function flipByteInMember(bytes: Buffer, entry: MemberEntry): Buffer {
  const damaged = Buffer.from(bytes);
  damaged[entry.offset + Math.floor(entry.storedSize / 2)]! ^= 0x40;
  return damaged;
}

describe('a flipped byte inside a data member', () => {
  it.each(['zstd', 'gzip', 'none'] as const)(
    'unencrypted %s: ChecksumMismatchError from openMember and verify',
    async (algorithm) => {
      const { bytes, entries } = await sampleArchive(algorithm);
      for (const target of [entries[3]!, entries[1]!]) {
        const reader = await ArchiveReader.open(bufferSource(flipByteInMember(bytes, target)));
        const streamError = await errorOf(readAll(reader.openMember(target)));
        expect(streamError).toBeInstanceOf(ChecksumMismatchError);
        expect(streamError).toMatchObject({ member: target.name, expected: target.sha256, code: 'CHECKSUM_MISMATCH' });
        expect((streamError as ChecksumMismatchError).actual).not.toBe(target.sha256);
        expect((streamError as Error).message).toContain(target.name);
        const verifyError = await errorOf(reader.verify());
        expect(verifyError).toBeInstanceOf(ChecksumMismatchError);
        expect(verifyError).toMatchObject({ member: target.name });
        // Undamaged members still read fine.
        await readAll(reader.openMember(entries[4]!));
      }
    },
  );

  it.each([
    ['zstd', false],
    ['gzip', false],
    ['none', false],
    ['none', true],
  ] as const)('%s (encrypted: %s): a consumer never sees a clean end of damaged data', async (algorithm, encrypted) => {
    const masterKey = encrypted ? makeMasterKey() : undefined;
    const { bytes, entries } = await sampleArchive(algorithm, masterKey);
    const target = entries[3]!;
    const reader = await ArchiveReader.open(bufferSource(flipByteInMember(bytes, target)), {
      ...(masterKey ? { keyProvider: async () => masterKey } : {}),
    });
    let finalCalled = false;
    let received = 0;
    // Like COPY FROM STDIN: a clean end (final) would commit whatever arrived.
    const consumer = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        received += chunk.length;
        callback();
      },
      final(callback) {
        finalCalled = true;
        callback();
      },
    });
    const error = await errorOf(pipeline(reader.openMember(target), consumer));
    expect(error instanceof ChecksumMismatchError || error instanceof CorruptDataError).toBe(true);
    expect(finalCalled).toBe(false);
    expect(received).toBeLessThanOrEqual(target.plainSize);
  });

  it.each(['zstd', 'gzip', 'none'] as const)(
    'encrypted %s: CorruptDataError or ChecksumMismatchError',
    async (algorithm) => {
      const masterKey = makeMasterKey();
      const { bytes, entries } = await sampleArchive(algorithm, masterKey);
      const target = entries[3]!;
      const reader = await ArchiveReader.open(bufferSource(flipByteInMember(bytes, target)), {
        keyProvider: async () => masterKey,
      });
      const streamError = await errorOf(readAll(reader.openMember(target)));
      expect(streamError instanceof CorruptDataError || streamError instanceof ChecksumMismatchError).toBe(true);
      expect(streamError).toMatchObject({ member: target.name });
      const verifyError = await errorOf(reader.verify());
      expect(verifyError instanceof CorruptDataError || verifyError instanceof ChecksumMismatchError).toBe(true);
      expect(verifyError).toMatchObject({ member: target.name });
    },
  );

  it.each(['zstd', 'gzip'] as const)(
    '%s: undecodable bytes with a matching checksum are an ArchiveFormatError',
    async (algorithm) => {
      // A faulty writer: the stored bytes are what the manifest says, but they are not valid compressed data.
      const sink = new PassThrough();
      const collected = readAll(sink);
      const writer = await ArchiveWriter.create(sink, writerOptions(algorithm));
      const garbage = randomBytes(10_000);
      const name = writer.allocateName('data', '.copy');
      const entry = await writer.appendEncoded(
        { kind: 'data' },
        { name, chunks: [garbage], storedSize: garbage.length, plainSize: 20_000, sha256: sha256(garbage) },
      );
      await writer.finish(manifestFields());
      const reader = await ArchiveReader.open(bufferSource(await collected));
      const error = await errorOf(readAll(reader.openMember(entry)));
      expect(error).toBeInstanceOf(ArchiveFormatError);
      expect((error as Error).message).toContain(`member ${name} cannot be decompressed`);
    },
  );

  it('a damaged manifest entry offset is an ArchiveFormatError', async () => {
    // Rewrite the (unencrypted) manifest with a wrong offset, keeping the tar valid.
    const { bytes, entries, result } = await sampleArchive('none');
    const manifest = {
      ...result.manifest,
      members: result.manifest.members.map((m, i) => (i === 2 ? { ...m, offset: m.offset + 512 } : m)),
    };
    const last = entries.at(-1)!;
    const manifestHeaderAt = last.offset + last.storedSize + paddingFor(last.storedSize);
    const body = Buffer.from(JSON.stringify(manifest));
    const rebuilt = Buffer.concat([
      bytes.subarray(0, manifestHeaderAt),
      encodeMemberHeader('manifest.json', body.length, 0),
      body,
      Buffer.alloc(paddingFor(body.length)),
      endOfArchive(),
    ]);
    const error = await errorOf(ArchiveReader.open(bufferSource(rebuilt)));
    expect(error).toBeInstanceOf(ArchiveFormatError);
    expect((error as Error).message).toContain(entries[2]!.name);
  });
});

describe('keys', () => {
  it('a wrong key fails at open with WrongKeyError', async () => {
    const { bytes } = await sampleArchive('zstd', makeMasterKey());
    const wrongKey = makeMasterKey();
    const error = await errorOf(ArchiveReader.open(bufferSource(bytes), { keyProvider: async () => wrongKey }));
    expect(error).toBeInstanceOf(WrongKeyError);
    expect((error as Error).message).toContain('wrong encryption key');
  });

  it('a key with the right id but other bytes fails at open with WrongKeyError', async () => {
    const masterKey = makeMasterKey();
    const { bytes } = await sampleArchive('zstd', masterKey);
    const forged = { keyId: masterKey.keyId, key: randomBytes(32) };
    const error = await errorOf(ArchiveReader.open(bufferSource(bytes), { keyProvider: async () => forged }));
    expect(error).toBeInstanceOf(WrongKeyError);
  });

  it('a missing key fails at open with MissingKeyError', async () => {
    const { bytes } = await sampleArchive('gzip', makeMasterKey());
    const error = await errorOf(ArchiveReader.open(bufferSource(bytes)));
    expect(error).toBeInstanceOf(MissingKeyError);
  });

  it('the key provider receives the encryption header', async () => {
    const masterKey = makeMasterKey();
    const { bytes } = await sampleArchive('none', masterKey);
    let seenKeyId: string | undefined;
    const reader = await ArchiveReader.open(bufferSource(bytes), {
      keyProvider: async (encryption) => {
        seenKeyId = encryption.keyId;
        return masterKey;
      },
    });
    expect(seenKeyId).toBe(masterKey.keyId);
    expect(reader.manifest.encryption?.keyId).toBe(masterKey.keyId);
  });
});

function handBuiltArchive(header: object, manifest: object): Buffer {
  const parts: Buffer[] = [];
  for (const [name, document] of [
    ['header.json', header],
    ['manifest.json', manifest],
  ] as const) {
    const body = Buffer.from(JSON.stringify(document));
    parts.push(encodeMemberHeader(name, body.length, 0), body, Buffer.alloc(paddingFor(body.length)));
  }
  parts.push(endOfArchive());
  return Buffer.concat(parts);
}

describe('unsupported files', () => {
  const header = {
    format: 'dbbackup-archive',
    formatVersion: 1,
    engine: 'postgresql',
    toolVersion: '9.9.9',
    createdAt: '2024-05-01T10:00:00.000Z',
    compression: { algorithm: 'zstd', level: 1 },
  };
  const manifest = {
    ...manifestFields(),
    format: 'dbbackup-archive',
    formatVersion: 1,
    toolVersion: '9.9.9',
    engine: 'postgresql',
    compression: { algorithm: 'zstd', level: 1 },
    encryption: null,
    members: [],
  };
  const upgrade = 'this backup uses archive format 99 but this dbbackup reads up to 1; upgrade dbbackup';

  it('the hand-built archive itself opens', async () => {
    const reader = await ArchiveReader.open(bufferSource(handBuiltArchive(header, manifest)));
    expect(reader.manifest.toolVersion).toBe('9.9.9');
  });

  it('a manifest with formatVersion 99 is an UnsupportedFormatError', async () => {
    const error = await errorOf(
      ArchiveReader.open(bufferSource(handBuiltArchive(header, { ...manifest, formatVersion: 99, newField: {} }))),
    );
    expect(error).toBeInstanceOf(UnsupportedFormatError);
    expect((error as Error).message).toBe(upgrade);
  });

  it('a header with formatVersion 99 is an UnsupportedFormatError', async () => {
    const error = await errorOf(
      ArchiveReader.open(bufferSource(handBuiltArchive({ ...header, formatVersion: 99 }, manifest))),
    );
    expect(error).toBeInstanceOf(UnsupportedFormatError);
    expect((error as Error).message).toBe(upgrade);
  });

  it('a random file is an UnsupportedFormatError', async () => {
    const path = join(directory.path, 'random.bin');
    await writeFile(path, randomBytes(100_000));
    const error = await errorOf(ArchiveReader.open(path));
    expect(error).toBeInstanceOf(UnsupportedFormatError);
    expect((error as Error).message).toBe(`not a dbbackup archive: ${path} is not a tar file; check the file name`);
    for (const bytes of [Buffer.alloc(0), randomBytes(10), Buffer.alloc(4096)]) {
      expect(await errorOf(ArchiveReader.open(bufferSource(bytes)))).toBeInstanceOf(UnsupportedFormatError);
    }
  });

  it('a tar file of something else is an UnsupportedFormatError', async () => {
    const body = Buffer.from('hello\n');
    const other = Buffer.concat([
      encodeMemberHeader('notes.txt', body.length, 0),
      body,
      Buffer.alloc(paddingFor(body.length)),
      endOfArchive(),
    ]);
    const error = await errorOf(ArchiveReader.open(bufferSource(other)));
    expect(error).toBeInstanceOf(UnsupportedFormatError);
    expect((error as Error).message).toContain('not a dbbackup archive');
  });

  it('an invalid manifest is an ArchiveFormatError naming the field', async () => {
    const error = await errorOf(
      ArchiveReader.open(bufferSource(handBuiltArchive(header, { ...manifest, cluster: 'no' }))),
    );
    expect(error).toBeInstanceOf(ArchiveFormatError);
    expect((error as Error).message).toContain('cluster');
  });

  it('reads a real archive file written to disk', async () => {
    const { bytes } = await sampleArchive('zstd');
    const path = join(directory.path, 'copy.dbb');
    await writeFile(path, bytes);
    const reader = await ArchiveReader.open(path);
    await reader.verify();
    await reader.close();
    expect((await readFile(path)).equals(bytes)).toBe(true);
  });
});
