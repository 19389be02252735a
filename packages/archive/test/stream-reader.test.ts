import { randomBytes } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type MasterKey, MissingKeyError, WrongKeyError } from '@dbbackup/crypto';
import { describe, expect, it } from 'vitest';
import { ArchiveStreamReader, verifyArchiveStream } from '../src/archive-stream-reader.js';
import { ArchiveWriter } from '../src/archive-writer.js';
import { ChecksumMismatchError, IncompleteBackupError, UnsupportedFormatError } from '../src/errors.js';

import { paddingFor } from '../src/tar/tar-header.js';
import { makeMasterKey, readAll, sha256, writerOptions, writeSample } from './helpers.js';

async function sampleArchive(masterKey?: MasterKey) {
  const sink = new PassThrough();
  const collected = readAll(sink);
  const { entries, result } = await writeSample(await ArchiveWriter.create(sink, writerOptions('zstd', masterKey)));
  return { bytes: await collected, entries, result };
}

/** Like stdin: the archive arrives in odd-sized chunks. */
function asStream(bytes: Buffer, chunkSize = 10_007): Readable {
  return Readable.from(
    (function* () {
      for (let offset = 0; offset < bytes.length; offset += chunkSize) yield bytes.subarray(offset, offset + chunkSize);
    })(),
  );
}

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('reading an archive from a non-seekable stream', () => {
  it('copies an archive byte for byte while verifying it', async () => {
    const masterKey = makeMasterKey();
    const { bytes, result } = await sampleArchive(masterKey);
    const reader = new ArchiveStreamReader({ keyProvider: async () => masterKey, description: 'stdin' });
    const copy = new PassThrough();
    const copied = readAll(copy);
    await pipeline(asStream(bytes), reader, copy);
    expect((await copied).equals(bytes)).toBe(true);
    expect(reader.result?.manifest).toEqual(result.manifest);
    expect(reader.result?.sha256).toBe(sha256(bytes));
    expect(reader.result?.bytes).toBe(bytes.length);
  });

  it('verifies an unencrypted archive end to end with any chunking', async () => {
    const { bytes, result } = await sampleArchive();
    for (const chunkSize of [1000, 65_536, 1_000_000]) {
      const verified = await verifyArchiveStream(asStream(bytes, chunkSize));
      expect(verified.manifest.members).toEqual(result.manifest.members);
      expect(verified.header.engine).toBe('postgresql');
    }
  });

  it('reports truncation as IncompleteBackupError', async () => {
    const { bytes, entries } = await sampleArchive();
    const last = entries.at(-1)!;
    const manifestHeader = last.offset + last.storedSize + paddingFor(last.storedSize);
    for (const cut of [2000, entries[3]!.offset + 5000, manifestHeader, manifestHeader + 600]) {
      const error = await errorOf(verifyArchiveStream(asStream(bytes.subarray(0, cut)), { description: 'stdin' }));
      expect(error, `cut at ${cut}`).toBeInstanceOf(IncompleteBackupError);
    }
  });

  it('reports a flipped byte as ChecksumMismatchError', async () => {
    const { bytes, entries } = await sampleArchive();
    const target = entries[3]!;
    const damaged = Buffer.from(bytes);
    damaged[target.offset + 12_345]! ^= 1;
    const error = await errorOf(verifyArchiveStream(asStream(damaged)));
    expect(error).toBeInstanceOf(ChecksumMismatchError);
    expect(error).toMatchObject({ member: target.name, expected: target.sha256 });
  });

  it('fails on a wrong or missing key before the data flows', async () => {
    const { bytes } = await sampleArchive(makeMasterKey());
    const wrongKey = makeMasterKey();
    expect(await errorOf(verifyArchiveStream(asStream(bytes), { keyProvider: async () => wrongKey }))).toBeInstanceOf(
      WrongKeyError,
    );
    const reader = new ArchiveStreamReader();
    const passed = readAll(reader).catch(() => Buffer.alloc(0));
    const error = await errorOf(pipeline(asStream(bytes, 4096), reader));
    expect(error).toBeInstanceOf(MissingKeyError);
    // Only the chunk holding header.json was ever looked at; nothing went through.
    expect((await passed).length).toBe(0);
  });

  it('rejects what is not an archive', async () => {
    expect(await errorOf(verifyArchiveStream(asStream(randomBytes(50_000))))).toBeInstanceOf(UnsupportedFormatError);
    expect(await errorOf(verifyArchiveStream(asStream(Buffer.alloc(0))))).toBeInstanceOf(UnsupportedFormatError);
  });
});
