/**
 * Reads one member through every stage (stored bytes → sha256 → decrypt → decompress → row recount) and reports how
 * far it got and what each stage saw, instead of failing with the first error as ArchiveReader.openMember does: a
 * diagnosis wants "sha256 failed, decryption failed at segment 3" per member, then the next member.
 */
import { createHash } from 'node:crypto';
import { type Readable, type Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createDecryptStream } from '@dbbackup/crypto';
import { ByteCounter, type CompressionAlgorithm, createDecompressStream, Sha256Stream } from '@dbbackup/pipeline';
import type { MemberEntry } from '../manifest-types.js';
import type { RandomAccessSource } from '../random-access-source.js';
import type { RowVerifier } from './diagnosis-types.js';

export type DecodeStage = 'read' | 'decryption' | 'decompression' | 'row-count';

export interface MemberDecodeOutcome {
  /** sha256 and count of the stored bytes actually present; null when they could not be read at all. */
  stored: { sha256: string; bytes: number } | null;
  /** The first stage that failed, with its error; undefined when the member decoded to its end. */
  failure?: { stage: DecodeStage; error: Error };
  /** Plaintext bytes decoded (all of them when there is no failure). */
  plainBytes: number;
  /** The row verifier's result, when one was given and decoding reached the end. */
  rows?: ReturnType<RowVerifier['finish']>;
}

export interface MemberDecodeOptions {
  compression: CompressionAlgorithm;
  dataKey?: Buffer;
  rowVerifier?: RowVerifier;
}

export async function decodeMemberStages(
  source: RandomAccessSource,
  entry: MemberEntry,
  options: MemberDecodeOptions,
): Promise<MemberDecodeOutcome> {
  const read = source.createReadStream(entry.offset, entry.storedSize);
  const hash = new Sha256Stream();
  const counter = new ByteCounter();
  const decrypt = options.dataKey ? createDecryptStream(options.dataKey, { member: entry.name }) : undefined;
  const decompress = createDecompressStream(options.compression);
  let plainBytes = 0;
  const verifier = options.rowVerifier;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      plainBytes += chunk.length;
      try {
        verifier?.update(chunk);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });

  const stageOf = new Map<Readable | Transform | Writable, DecodeStage>([
    [read, 'read'],
    [hash, 'read'],
    [counter, 'read'],
    [decompress, 'decompression'],
    [sink, 'row-count'],
  ]);
  if (decrypt) stageOf.set(decrypt, 'decryption');
  // pipeline() forwards the first error to every stage; the stage that emitted first is where the damage showed.
  let failure: MemberDecodeOutcome['failure'];
  for (const [stream, stage] of stageOf) {
    stream.on('error', (error: Error) => {
      failure ??= { stage, error };
    });
  }

  const stages = decrypt ? [read, hash, counter, decrypt, decompress, sink] : [read, hash, counter, decompress, sink];
  try {
    await pipeline(stages);
  } catch (error) {
    failure ??= { stage: 'read', error: error as Error };
  }

  if (!failure) {
    return {
      stored: { sha256: hash.digest(), bytes: counter.bytes },
      plainBytes,
      ...(verifier ? { rows: verifier.finish() } : {}),
    };
  }
  // The pipeline stopped early, so the stored bytes were not all hashed: hash them on their own.
  return { stored: await hashStoredRange(source, entry), failure, plainBytes };
}

/** sha256 and count of the bytes present in a member's range; null when the range cannot be read. */
async function hashStoredRange(
  source: RandomAccessSource,
  entry: MemberEntry,
): Promise<{ sha256: string; bytes: number } | null> {
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    for await (const chunk of source.createReadStream(entry.offset, entry.storedSize)) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
    }
  } catch {
    return null;
  }
  return { sha256: hash.digest('hex'), bytes };
}
