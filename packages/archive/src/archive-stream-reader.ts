/**
 * Reads an archive from a non-seekable stream (stdin, a download) in one pass. The bytes pass through unchanged,
 * so the reader can sit between a source and a destination to copy an archive while checking it, or feed a null
 * sink to verify one. It checks header.json first (a wrong or missing key fails before the data flows), hashes
 * every member's stored bytes, and at the end compares them with the manifest. It does not decrypt or decompress
 * members: use ArchiveReader.verify on a seekable copy for GCM and decompression checks.
 */
import { createHash } from 'node:crypto';
import { type Readable, Transform, type TransformCallback, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { decryptBuffer, MissingKeyError, unwrapDataKey } from '@dbbackup/crypto';
import type { KeyProvider } from './archive-reader.js';
import { ArchiveFormatError, ChecksumMismatchError, IncompleteBackupError, UnsupportedFormatError } from './errors.js';
import {
  HEADER_MEMBER_NAME,
  MANIFEST_MEMBER_NAME,
  MAX_HEADER_MEMBER_SIZE,
  MAX_MANIFEST_MEMBER_SIZE,
} from './format.js';
import type { ArchiveHeader, Manifest } from './manifest-types.js';
import { parseHeaderDocument, parseManifestDocument } from './parse-documents.js';
import { TarFramingError, TarStreamParser } from './tar/tar-stream-parser.js';
import type { TarEntry } from './tar/tar-walk.js';

export interface ArchiveStreamReaderOptions {
  keyProvider?: KeyProvider;
  /** Names the stream in error messages (default "from the stream"). */
  description?: string;
}

export interface ArchiveStreamResult {
  header: ArchiveHeader;
  manifest: Manifest;
  /** Bytes of the whole archive as read. */
  bytes: number;
  /** Hex sha256 of the whole archive as read. */
  sha256: string;
}

interface HashedEntry extends TarEntry {
  sha256: string;
}

export class ArchiveStreamReader extends Transform {
  /** Set once header.json was read (and the key unwrapped). */
  header: ArchiveHeader | undefined;
  /** Set when the stream ended and every check passed. */
  result: ArchiveStreamResult | undefined;
  readonly #options: ArchiveStreamReaderOptions;
  readonly #description: string;
  readonly #parser: TarStreamParser;
  readonly #archiveHash = createHash('sha256');
  readonly #entries = new Map<string, HashedEntry>();
  #bytes = 0;
  #dataKey: Buffer | undefined;
  #current: { entry: TarEntry; hash: ReturnType<typeof createHash>; collected: Buffer[] | null } | undefined;
  #manifestBytes: Buffer | undefined;

  constructor(options: ArchiveStreamReaderOptions = {}) {
    super();
    this.#options = options;
    this.#description = options.description ?? 'from the stream';
    this.#parser = new TarStreamParser({
      entryStart: (entry) => this.#entryStart(entry),
      entryData: (chunk) => {
        this.#current!.hash.update(chunk);
        this.#current!.collected?.push(chunk);
      },
      entryEnd: () => this.#entryEnd(),
    });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#bytes += chunk.length;
    this.#archiveHash.update(chunk);
    this.#parser.write(chunk).then(
      () => callback(null, chunk),
      (error: unknown) => callback(this.#describeError(error)),
    );
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.result = this.#finish();
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  #entryStart(entry: TarEntry): void {
    if (this.#parser.entries === 1 && entry.name !== HEADER_MEMBER_NAME) {
      throw new UnsupportedFormatError(
        `not a dbbackup archive: ${this.#description} is a tar stream whose first member is ${JSON.stringify(entry.name)}, not ${HEADER_MEMBER_NAME}`,
      );
    }
    if (this.#manifestBytes) {
      throw new ArchiveFormatError(
        `backup ${this.#description} has member ${entry.name} after ${MANIFEST_MEMBER_NAME}`,
      );
    }
    const limit = entry.name === HEADER_MEMBER_NAME ? MAX_HEADER_MEMBER_SIZE : MAX_MANIFEST_MEMBER_SIZE;
    const collect = entry.name === HEADER_MEMBER_NAME || entry.name === MANIFEST_MEMBER_NAME;
    if (collect && entry.size > limit) {
      throw new ArchiveFormatError(
        `backup ${this.#description} has a ${entry.size}-byte ${entry.name}; the file is damaged`,
      );
    }
    this.#current = { entry, hash: createHash('sha256'), collected: collect ? [] : null };
  }

  async #entryEnd(): Promise<void> {
    const { entry, hash, collected } = this.#current!;
    this.#current = undefined;
    if (entry.name === HEADER_MEMBER_NAME && this.#parser.entries === 1) {
      this.header = parseHeaderDocument(Buffer.concat(collected!), this.#description);
      this.#dataKey = await this.#unwrapKey(this.header);
      this.emit('header', this.header);
    } else if (entry.name === MANIFEST_MEMBER_NAME) {
      this.#manifestBytes = Buffer.concat(collected!);
    } else {
      this.#entries.set(entry.name, { ...entry, sha256: hash.digest('hex') });
    }
  }

  async #unwrapKey(header: ArchiveHeader): Promise<Buffer | undefined> {
    if (!header.encryption) return undefined;
    if (!this.#options.keyProvider) throw new MissingKeyError();
    return unwrapDataKey(header.encryption, await this.#options.keyProvider(header.encryption));
  }

  #finish(): ArchiveStreamResult {
    if (!this.header || !this.#manifestBytes) {
      if (this.#parser.entries === 0 && this.#bytes < 512) {
        throw new UnsupportedFormatError(
          `not a dbbackup archive: ${this.#description} is too short to be a tar stream`,
        );
      }
      throw new IncompleteBackupError(this.#description);
    }
    const plain = this.#dataKey
      ? decryptBuffer(this.#dataKey, this.#manifestBytes, MANIFEST_MEMBER_NAME)
      : this.#manifestBytes;
    const manifest = parseManifestDocument(plain, this.#description);
    const inconsistent = (what: string) =>
      new ArchiveFormatError(
        `backup ${this.#description} is inconsistent: ${what}; restore from another copy of the backup`,
      );
    for (const member of manifest.members) {
      const entry = this.#entries.get(member.name);
      if (!entry) throw inconsistent(`the manifest lists ${member.name} but the tar has no such member`);
      if (entry.offset !== member.offset || entry.size !== member.storedSize) {
        throw inconsistent(`member ${member.name} is not where the manifest says`);
      }
      if (entry.sha256 !== member.sha256) throw new ChecksumMismatchError(member.name, member.sha256, entry.sha256);
      this.#entries.delete(member.name);
    }
    const [unlisted] = this.#entries.keys();
    if (unlisted !== undefined) throw inconsistent(`the tar holds ${unlisted}, which the manifest does not list`);
    this.#dataKey?.fill(0);
    return { header: this.header, manifest, bytes: this.#bytes, sha256: this.#archiveHash.digest('hex') };
  }

  #describeError(error: unknown): Error {
    if (!(error instanceof TarFramingError)) return error as Error;
    if (this.#parser.entries === 0) {
      return new UnsupportedFormatError(`not a dbbackup archive: ${this.#description} is not a tar stream`);
    }
    return new ArchiveFormatError(
      `backup ${this.#description} has a damaged tar header at byte ${error.at} (${error.message}); restore from another copy of the backup`,
    );
  }
}

/** Reads a whole archive stream, checking it end to end (see ArchiveStreamReader); resolves with what it found. */
export async function verifyArchiveStream(
  readable: Readable,
  options: ArchiveStreamReaderOptions = {},
): Promise<ArchiveStreamResult> {
  const reader = new ArchiveStreamReader(options);
  await pipeline(
    readable,
    reader,
    new Writable({
      write(_chunk, _encoding, callback) {
        callback();
      },
    }),
  );
  return reader.result!;
}
