/**
 * Reads one member back to plaintext: stored bytes → sha256 check → decrypt (GCM tag per segment, checked before any
 * plaintext is released) → decompress. Damage always surfaces as a stream error of ChecksumMismatchError or
 * CorruptDataError naming the member, never as a bare zlib error: a decompression failure is re-examined by hashing
 * the stored bytes, which tells damage (checksum mismatch) from a faulty writer (ArchiveFormatError).
 */
import { createHash } from 'node:crypto';
import { pipeline, Readable, type Transform } from 'node:stream';
import { createDecryptStream } from '@dbbackup/crypto';
import { type CompressionAlgorithm, createDecompressStream } from '@dbbackup/pipeline';
import { ArchiveFormatError, ChecksumMismatchError } from './errors.js';
import type { MemberEntry } from './manifest-types.js';
import type { RandomAccessSource } from './random-access-source.js';
import { StoredBytesVerifier } from './stored-bytes-verifier.js';

export interface MemberDecoding {
  source: RandomAccessSource;
  compression: CompressionAlgorithm;
  dataKey?: Buffer;
}

async function hashStoredBytes(source: RandomAccessSource, entry: MemberEntry): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of source.createReadStream(entry.offset, entry.storedSize)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function explainDecompressionFailure(error: Error, entry: MemberEntry, decoding: MemberDecoding): Promise<Error> {
  let actual: string;
  try {
    actual = await hashStoredBytes(decoding.source, entry);
  } catch {
    return error;
  }
  if (actual !== entry.sha256) return new ChecksumMismatchError(entry.name, entry.sha256, actual);
  return new ArchiveFormatError(
    `member ${entry.name} cannot be decompressed (${error.message}) although its checksum matches; the backup was written by a faulty dbbackup, take a new backup`,
    { cause: error },
  );
}

export function decodeMember(entry: MemberEntry, decoding: MemberDecoding): Readable {
  async function* plaintext(): AsyncGenerator<Buffer> {
    const source = decoding.source.createReadStream(entry.offset, entry.storedSize);
    const decompress = createDecompressStream(decoding.compression);
    const stages: Transform[] = [new StoredBytesVerifier(entry.name, entry.sha256, entry.storedSize)];
    if (decoding.dataKey) stages.push(createDecryptStream(decoding.dataKey, { member: entry.name }));
    stages.push(decompress);

    // The pipeline forwards the first error to every stage; remember which stage raised it.
    let origin: { stream: Readable | Transform; error: unknown } | undefined;
    for (const stream of [source, ...stages]) {
      stream.once('error', (error: unknown) => {
        origin ??= { stream, error };
      });
    }

    // pipeline destroys every stage with the first error, so iterating the last stage throws that error. When the
    // consumer stops early, returning from this generator destroys `decompress`, and with it the whole pipeline.
    pipeline([source, ...stages], () => {});
    try {
      for await (const chunk of decompress) yield chunk as Buffer;
    } catch (error) {
      if (origin?.stream === decompress && origin.error === error && error instanceof Error) {
        throw await explainDecompressionFailure(error, entry, decoding);
      }
      throw error;
    }
  }
  return Readable.from(plaintext(), { objectMode: false });
}
