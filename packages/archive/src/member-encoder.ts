/**
 * Encodes one member body into memory: plain bytes → compress → encrypt (AAD = the tar name) → collected chunks,
 * hashing the stored bytes on the way. Encoding is independent of the tar position, so many workers can encode at
 * once while the tar itself is written serially (ArchiveWriter.appendEncoded).
 */
import { createHash } from 'node:crypto';
import { Readable, type Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createEncryptStream } from '@dbbackup/crypto';
import { ByteCounter, type CompressionAlgorithm, compressBuffer, createCompressStream } from '@dbbackup/pipeline';

/** A member body compressed and encrypted in memory, ready to be appended to the tar. */
export interface EncodedMember {
  /** The tar name; also the AAD the body was encrypted with, so it cannot be appended under another name. */
  readonly name: string;
  /** Stored bytes, kept as the chunks the encoder produced (never concatenated). */
  readonly chunks: readonly Buffer[];
  readonly storedSize: number;
  readonly plainSize: number;
  /** Hex sha256 of the stored bytes. */
  readonly sha256: string;
}

export interface MemberEncoding {
  compression: { algorithm: CompressionAlgorithm; level: number };
  dataKey?: Buffer;
}

export type MemberBody = Readable | Buffer | string;

function toReadable(body: Readable | string): Readable {
  if (body instanceof Readable) return body;
  const buffer = Buffer.from(body, 'utf8');
  return Readable.from(buffer.length > 0 ? [buffer] : [], { objectMode: false });
}

export async function encodeMember(body: MemberBody, name: string, encoding: MemberEncoding): Promise<EncodedMember> {
  if (Buffer.isBuffer(body)) return encodeBuffer(body, name, encoding);
  const plainCounter = new ByteCounter();
  const stages: Transform[] = [plainCounter, createCompressStream(encoding.compression)];
  if (encoding.dataKey) stages.push(createEncryptStream(encoding.dataKey, { member: name }));
  const stored = await collectStored(toReadable(body), stages);
  return { name, ...stored, plainSize: plainCounter.bytes };
}

/**
 * A body already in memory (a data part): compressed block by block straight from the buffer, with no stream
 * stages and no copy into block buffers, then encrypted when the backup is. Same bytes as the stream path.
 */
async function encodeBuffer(body: Buffer, name: string, encoding: MemberEncoding): Promise<EncodedMember> {
  const compressed = await compressBuffer(body, encoding.compression);
  const stages = encoding.dataKey ? [createEncryptStream(encoding.dataKey, { member: name })] : [];
  const stored = await collectStored(Readable.from(compressed, { objectMode: false }), stages);
  return { name, ...stored, plainSize: body.length };
}

/** Runs `source` through `stages` and keeps what comes out, as the chunks it came in, with its size and sha256. */
async function collectStored(
  source: Readable,
  stages: Transform[],
): Promise<Pick<EncodedMember, 'chunks' | 'storedSize' | 'sha256'>> {
  const chunks: Buffer[] = [];
  const hash = createHash('sha256');
  let storedSize = 0;
  const collector = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      hash.update(chunk);
      storedSize += chunk.length;
      callback();
    },
  });
  await pipeline([source, ...stages, collector]);
  return { chunks, storedSize, sha256: hash.digest('hex') };
}
