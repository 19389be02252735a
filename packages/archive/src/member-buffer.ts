/**
 * Reads one member whole, for callers that load members of at most a few tens of MiB (restores): one positional
 * read, one hash pass, one decrypt pass and a few large zlib calls on the thread pool (zstd frame by frame), instead
 * of the stream path's chain of small chunks (member-decoder.ts). readMemberBuffer returns the whole plaintext;
 * readMemberChunks yields it frame by frame so a consumer can start before the member is decoded.
 *
 * The order of checks is what makes both safe: the sha256 of the stored bytes is checked before anything else, so
 * a damaged member never reaches decryption or decompression nor the caller, and the decoded size must be exactly
 * the recorded plain size (readMemberBuffer returns nothing otherwise; readMemberChunks fails its iteration).
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { decryptBuffer } from '@dbbackup/crypto';
import type { CompressionAlgorithm } from '@dbbackup/pipeline';
import { ArchiveFormatError, ChecksumMismatchError } from './errors.js';
import type { MemberEntry } from './manifest-types.js';
import type { RandomAccessSource } from './random-access-source.js';
import { splitZstdFrames, type ZstdFrame } from './zstd-frames.js';

export interface MemberBufferDecoding {
  source: RandomAccessSource;
  compression: CompressionAlgorithm;
  dataKey?: Buffer;
}

/** zstd frames decoded at once: two keeps a thread busy while the other result is copied, and bounds memory. */
const FRAMES_IN_FLIGHT = 2;
/** Output chunk size of the gzip decoder: small enough to come from malloc's recycled memory. */
const GUNZIP_CHUNK_SIZE = 256 * 1024;

const zstdDecompress = promisify(zlib.zstdDecompress);

/**
 * Memory that one reader of members reuses from member to member. Fresh large buffers are expensive: every page
 * of a new allocation is faulted in (and zeroed) by the kernel, which on VMs measured slower than decompressing
 * into it. A result decoded into a scratch is a view of it, valid until the scratch is used again.
 */
export class MemberScratch {
  #stored: Buffer | undefined;
  #plain: Buffer | undefined;

  /** `size` bytes for stored data, reusing the previous allocation when it is big enough. */
  stored(size: number): Buffer {
    this.#stored = grown(this.#stored, size);
    return this.#stored.subarray(0, size);
  }

  plain(size: number): Buffer {
    this.#plain = grown(this.#plain, size);
    return this.#plain.subarray(0, size);
  }
}

const SCRATCH_ROUNDING = 1024 * 1024;

function grown(buffer: Buffer | undefined, size: number): Buffer {
  if (buffer !== undefined && buffer.length >= size) return buffer;
  return Buffer.allocUnsafe(Math.ceil(Math.max(size, 1) / SCRATCH_ROUNDING) * SCRATCH_ROUNDING);
}

/**
 * Stored bytes → sha256 check → decrypt → decompress → plain size check. Throws the stream path's error types.
 * With a scratch the result is a view of the scratch's memory (valid until its next use), else a new Buffer.
 */
export async function readMemberBuffer(
  entry: MemberEntry,
  decoding: MemberBufferDecoding,
  scratch?: MemberScratch,
): Promise<Buffer> {
  const compressed = await readVerified(entry, decoding, scratch);
  if (decoding.compression === 'none') {
    if (compressed.length !== entry.plainSize) throw plainSizeError(entry, compressed.length);
    return compressed;
  }
  const target = scratch ? scratch.plain(entry.plainSize) : Buffer.allocUnsafe(entry.plainSize);
  let written: number;
  try {
    written =
      decoding.compression === 'gzip'
        ? await gunzipInto(compressed, target)
        : await zstdFramesInto(splitZstdFrames(compressed), target);
  } catch (error) {
    if (error instanceof TooMuchOutputError) throw plainSizeError(entry, `more than ${entry.plainSize}`);
    throw undecodable(entry, error);
  }
  if (written !== entry.plainSize) throw plainSizeError(entry, written);
  return target;
}

/**
 * The plaintext of one member as chunks (zstd: one per frame, about 2 MiB), for a consumer that forwards them as
 * they come. The checks and their order are readMemberBuffer's: the stored bytes are read whole and their sha256
 * (and GCM tags) checked before the first chunk, so damaged bytes never reach the consumer. The decoded size is
 * checked as chunks come and at the end: only an iteration that ends without error delivered the whole member.
 * Chunks are new Buffers, except with compression none, where they are views of the scratch.
 */
export async function* readMemberChunks(
  entry: MemberEntry,
  decoding: MemberBufferDecoding,
  scratch?: MemberScratch,
): AsyncGenerator<Buffer> {
  const compressed = await readVerified(entry, decoding, scratch);
  let produced = 0;
  try {
    for await (const chunk of decodeChunks(compressed, decoding.compression)) {
      produced += chunk.length;
      if (produced > entry.plainSize) throw new TooMuchOutputError(entry.plainSize);
      yield chunk;
    }
  } catch (error) {
    if (error instanceof TooMuchOutputError) throw plainSizeError(entry, `more than ${entry.plainSize}`);
    throw undecodable(entry, error);
  }
  if (produced !== entry.plainSize) throw plainSizeError(entry, produced);
}

/** Reads the stored bytes, checks their sha256, then decrypts them (the GCM tags are checked before returning). */
async function readVerified(entry: MemberEntry, decoding: MemberBufferDecoding, scratch?: MemberScratch) {
  const stored = await readStored(decoding.source, entry, scratch);
  const actual = createHash('sha256').update(stored).digest('hex');
  if (actual !== entry.sha256 || stored.length !== entry.storedSize) {
    throw new ChecksumMismatchError(entry.name, entry.sha256, actual);
  }
  // CorruptDataError (naming the member) when a GCM tag fails; AAD = the member name, as the writer sealed it.
  return decoding.dataKey ? decryptBuffer(decoding.dataKey, stored, entry.name) : stored;
}

/** The stored bytes matched their checksum, so the writer produced undecodable data. */
function undecodable(entry: MemberEntry, error: unknown): ArchiveFormatError {
  return new ArchiveFormatError(
    `member ${entry.name} cannot be decompressed (${(error as Error).message}) although its checksum matches; the backup was written by a faulty dbbackup, take a new backup`,
    { cause: error },
  );
}

const NONE_CHUNK_SIZE = 2 * 1024 * 1024;

async function* decodeChunks(data: Buffer, algorithm: CompressionAlgorithm): AsyncGenerator<Buffer> {
  if (algorithm === 'none') {
    for (let offset = 0; offset < data.length; offset += NONE_CHUNK_SIZE) {
      yield data.subarray(offset, offset + NONE_CHUNK_SIZE);
    }
  } else if (algorithm === 'gzip') {
    if (data.length === 0) return; // an empty member may be stored as zero bytes, which gunzip calls truncated
    const gunzip = zlib.createGunzip({ chunkSize: GUNZIP_CHUNK_SIZE });
    gunzip.end(data);
    for await (const chunk of gunzip) yield chunk as Buffer;
  } else {
    yield* zstdFrameChunks(splitZstdFrames(data));
  }
}

/** Decodes frames a few at a time on the thread pool, in order; each comes back in one piece (sized from its header). */
async function* zstdFrameChunks(frames: ZstdFrame[]): AsyncGenerator<Buffer> {
  let next = 0;
  const inFlight: Promise<Buffer>[] = [];
  const startNext = () => {
    const frame = frames[next++]!;
    const decoding = zstdDecompress(frame.bytes, { chunkSize: Math.max(64 * 1024, (frame.contentSize ?? 0) + 1) });
    // Marked handled now: when the consumer stops early or an earlier frame fails, nobody awaits this one.
    decoding.catch(() => undefined);
    inFlight.push(decoding);
  };
  while (next < frames.length && inFlight.length < FRAMES_IN_FLIGHT) startNext();
  while (inFlight.length > 0) {
    const piece = await inFlight.shift()!;
    if (next < frames.length) startNext();
    yield piece;
  }
}

async function readStored(source: RandomAccessSource, entry: MemberEntry, scratch?: MemberScratch): Promise<Buffer> {
  if (!scratch || !source.readInto) return source.read(entry.offset, entry.storedSize);
  const target = scratch.stored(entry.storedSize);
  const read = await source.readInto(entry.offset, entry.storedSize, target);
  return target.subarray(0, read);
}

/** Thrown when the data decodes to more bytes than the target holds (the manifest's plain size). */
class TooMuchOutputError extends Error {
  constructor(limit: number) {
    super(`the data decodes to more than ${limit} bytes`);
  }
}

function plainSizeError(entry: MemberEntry, decoded: number | string): ArchiveFormatError {
  return new ArchiveFormatError(
    `member ${entry.name} decodes to ${decoded} bytes but the manifest records ${entry.plainSize}; the backup was written by a faulty dbbackup, take a new backup`,
  );
}

/** Decodes the frames into `target` in order (each frame's buffer is copied, then dropped). */
async function zstdFramesInto(frames: ZstdFrame[], target: Buffer): Promise<number> {
  let written = 0;
  for await (const piece of zstdFrameChunks(frames)) {
    if (written + piece.length > target.length) throw new TooMuchOutputError(target.length);
    written += piece.copy(target, written);
  }
  return written;
}

/** gunzip reads concatenated gzip members on its own (and rejects trailing garbage). */
function gunzipInto(data: Buffer, target: Buffer): Promise<number> {
  // An empty member may be stored as zero bytes, which gunzip would call truncated.
  if (data.length === 0) return Promise.resolve(0);
  return new Promise((resolve, reject) => {
    const gunzip = zlib.createGunzip({ chunkSize: GUNZIP_CHUNK_SIZE });
    let written = 0;
    gunzip.on('data', (chunk: Buffer) => {
      if (written + chunk.length > target.length) {
        gunzip.destroy(new TooMuchOutputError(target.length));
        return;
      }
      written += chunk.copy(target, written);
    });
    gunzip.once('error', reject);
    gunzip.once('end', () => resolve(written));
    gunzip.end(data);
  });
}
