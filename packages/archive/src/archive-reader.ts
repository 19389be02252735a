/**
 * Opens a dbbackup archive for random access: reads header.json (first member), unwraps the data key when the
 * backup is encrypted (so a wrong or missing key fails before any data flows), finds manifest.json (last member) by
 * walking the tar headers, and cross-checks the manifest against the tar. Members are then read independently, so
 * N workers can restore N tables from one source at once.
 */
import { type Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { decryptBuffer, type EncryptionHeader, type MasterKey, MissingKeyError, unwrapDataKey } from '@dbbackup/crypto';
import { ArchiveFormatError, IncompleteBackupError, UnsupportedFormatError } from './errors.js';
import { openFileSource } from './file-source.js';
import {
  HEADER_MEMBER_NAME,
  MANIFEST_MEMBER_NAME,
  MAX_HEADER_MEMBER_SIZE,
  MAX_MANIFEST_MEMBER_SIZE,
} from './format.js';
import type { ArchiveHeader, Manifest, MemberEntry } from './manifest-types.js';
import { type MemberScratch, readMemberBuffer, readMemberChunks } from './member-buffer.js';
import { decodeMember } from './member-decoder.js';
import { parseHeaderDocument, parseManifestDocument } from './parse-documents.js';
import type { RandomAccessSource } from './random-access-source.js';
import { BLOCK_SIZE, parseHeaderBlock } from './tar/tar-header.js';
import { type TarEntry, walkTar } from './tar/tar-walk.js';

/** Supplies the master key for an encrypted backup (from a key file or a passphrase + the stored kdf parameters). */
export type KeyProvider = (encryption: EncryptionHeader) => Promise<MasterKey>;

export interface ArchiveReaderOptions {
  keyProvider?: KeyProvider;
  /** Close a given source with the reader (always so for a path); e.g. a cloud object the caller opened for it. */
  closeSource?: boolean;
}

export interface VerifyOptions {
  /** Called after each member passed every check (sha256, GCM tags, full decompression, plain size). */
  onMember?: (entry: MemberEntry) => void;
}

export class ArchiveReader {
  readonly header: ArchiveHeader;
  readonly manifest: Manifest;
  readonly source: RandomAccessSource;
  readonly #dataKey: Buffer | undefined;
  readonly #ownsSource: boolean;

  private constructor(
    source: RandomAccessSource,
    ownsSource: boolean,
    header: ArchiveHeader,
    manifest: Manifest,
    dataKey: Buffer | undefined,
  ) {
    this.source = source;
    this.#ownsSource = ownsSource;
    this.header = header;
    this.manifest = manifest;
    this.#dataKey = dataKey;
  }

  /** Opens an archive from a source or a local path (a path is opened and closed by the reader). */
  static async open(source: RandomAccessSource | string, options: ArchiveReaderOptions = {}): Promise<ArchiveReader> {
    const ownsSource = typeof source === 'string' || options.closeSource === true;
    const opened = typeof source === 'string' ? await openFileSource(source) : source;
    try {
      const { header, manifest, dataKey } = await readArchiveIndex(opened, options);
      return new ArchiveReader(opened, ownsSource, header, manifest, dataKey);
    } catch (error) {
      if (ownsSource) await opened.close();
      throw error;
    }
  }

  get encrypted(): boolean {
    return this.#dataKey !== undefined;
  }

  /** The manifest entry of a member, by tar name. */
  member(name: string): MemberEntry | undefined {
    return this.manifest.members.find((entry) => entry.name === name);
  }

  /** Plaintext of one member; the stream errors with ChecksumMismatchError / CorruptDataError on damaged bytes. */
  openMember(entry: MemberEntry): Readable {
    return decodeMember(entry, {
      source: this.source,
      compression: this.manifest.compression.algorithm,
      ...(this.#dataKey ? { dataKey: this.#dataKey } : {}),
    });
  }

  /**
   * The whole plaintext of one member in one Buffer (for members that fit in memory, such as data parts). The
   * stored bytes' sha256 is checked before they are decrypted or decompressed, and the result must have the
   * recorded plain size; rejects with ChecksumMismatchError, CorruptDataError or ArchiveFormatError naming the member.
   * With a `scratch` (one per concurrent reader) memory is reused across calls and the result is a view of the
   * scratch, valid until the scratch is used again.
   */
  readMemberBuffer(entry: MemberEntry, scratch?: MemberScratch): Promise<Buffer> {
    return readMemberBuffer(
      entry,
      {
        source: this.source,
        compression: this.manifest.compression.algorithm,
        ...(this.#dataKey ? { dataKey: this.#dataKey } : {}),
      },
      scratch,
    );
  }

  /**
   * The plaintext of one member as chunks, checked like readMemberBuffer: sha256 (and GCM tags) before the first
   * chunk, the decoded size as they come and at the end. Only an iteration that ends without error delivered the
   * whole member. With compression none the chunks are views of the scratch (valid until its next use).
   */
  readMemberChunks(entry: MemberEntry, scratch?: MemberScratch): AsyncGenerator<Buffer> {
    return readMemberChunks(
      entry,
      {
        source: this.source,
        compression: this.manifest.compression.algorithm,
        ...(this.#dataKey ? { dataKey: this.#dataKey } : {}),
      },
      scratch,
    );
  }

  async readMemberText(entry: MemberEntry): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of this.openMember(entry)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  /** Reads every member through every check (sha256 of the stored bytes, GCM tags, decompression); throws the first error. */
  async verify(options: VerifyOptions = {}): Promise<void> {
    for (const entry of this.manifest.members) {
      let plainSize = 0;
      await pipeline(
        this.openMember(entry),
        new Writable({
          write(chunk: Buffer, _encoding, callback) {
            plainSize += chunk.length;
            callback();
          },
        }),
      );
      if (plainSize !== entry.plainSize) {
        throw new ArchiveFormatError(
          `member ${entry.name} decodes to ${plainSize} bytes but the manifest records ${entry.plainSize}; the backup was written by a faulty dbbackup, take a new backup`,
        );
      }
      options.onMember?.(entry);
    }
  }

  /** Closes the source when the reader opened it from a path (a source passed in stays the caller's to close). */
  async close(): Promise<void> {
    this.#dataKey?.fill(0);
    if (this.#ownsSource) await this.source.close();
  }
}

interface ArchiveIndex {
  header: ArchiveHeader;
  manifest: Manifest;
  dataKey: Buffer | undefined;
}

async function readArchiveIndex(source: RandomAccessSource, options: ArchiveReaderOptions): Promise<ArchiveIndex> {
  const description = source.description;
  const size = await source.size();
  const header = await readHeaderMember(source, size);
  const dataKey = await unwrapKey(header, options);

  const entries = new Map<string, TarEntry>();
  let manifestEntry: TarEntry | undefined;
  for await (const step of walkTar(source, size)) {
    if (step.kind === 'entry') {
      if (step.entry.name === MANIFEST_MEMBER_NAME) {
        manifestEntry = step.entry;
        break;
      }
      entries.set(step.entry.name, step.entry);
    } else if (step.kind === 'invalid') {
      throw new ArchiveFormatError(
        `backup ${description} has a damaged tar header at byte ${step.at} (${step.reason}); restore from another copy of the backup`,
      );
    }
  }
  if (!manifestEntry) throw new IncompleteBackupError(description);
  if (manifestEntry.size > MAX_MANIFEST_MEMBER_SIZE) {
    throw new ArchiveFormatError(
      `backup ${description} has a ${manifestEntry.size}-byte manifest; the file is damaged`,
    );
  }

  const stored = await source.read(manifestEntry.offset, manifestEntry.size);
  const plain = dataKey ? decryptBuffer(dataKey, stored, MANIFEST_MEMBER_NAME) : stored;
  const manifest = parseManifestDocument(plain, description);
  crossCheck(manifest, header, entries, description);
  return { header, manifest, dataKey };
}

/** Reads and validates header.json, the first member (exported for diagnoseArchive, which checks it on its own). */
export async function readHeaderMember(source: RandomAccessSource, size: number): Promise<ArchiveHeader> {
  const description = source.description;
  const notArchive = (why: string) => new UnsupportedFormatError(`not a dbbackup archive: ${description} ${why}`);
  if (size < BLOCK_SIZE) {
    // A writer killed within its first write leaves a cut-off header.json header block.
    const start = await source.read(0, size);
    if (start.subarray(0, HEADER_MEMBER_NAME.length + 1).equals(Buffer.from(`${HEADER_MEMBER_NAME}\u0000`))) {
      throw new IncompleteBackupError(description);
    }
    throw notArchive(size === 0 ? 'is empty' : `is only ${size} bytes, too small to be a tar file`);
  }
  const block = parseHeaderBlock(await source.read(0, BLOCK_SIZE));
  if (block.kind !== 'entry') throw notArchive('is not a tar file; check the file name');
  if (block.name !== HEADER_MEMBER_NAME) {
    throw notArchive(`is a tar file whose first member is ${JSON.stringify(block.name)}, not ${HEADER_MEMBER_NAME}`);
  }
  if (block.size > MAX_HEADER_MEMBER_SIZE) throw notArchive(`has a ${block.size}-byte ${HEADER_MEMBER_NAME}`);
  if (BLOCK_SIZE + block.size > size) throw new IncompleteBackupError(description);
  return parseHeaderDocument(await source.read(BLOCK_SIZE, block.size), description);
}

async function unwrapKey(header: ArchiveHeader, options: ArchiveReaderOptions): Promise<Buffer | undefined> {
  if (!header.encryption) return undefined;
  if (!options.keyProvider) throw new MissingKeyError();
  const masterKey = await options.keyProvider(header.encryption);
  return unwrapDataKey(header.encryption, masterKey);
}

/** The manifest must describe exactly the members the tar holds, at the offsets the tar has them. */
function crossCheck(
  manifest: Manifest,
  header: ArchiveHeader,
  entries: Map<string, TarEntry>,
  description: string,
): void {
  const damaged = (what: string) =>
    new ArchiveFormatError(`backup ${description} is inconsistent: ${what}; restore from another copy of the backup`);
  if (manifest.formatVersion !== header.formatVersion) {
    throw damaged(`header.json says format ${header.formatVersion} but manifest.json says ${manifest.formatVersion}`);
  }
  if (manifest.compression.algorithm !== header.compression.algorithm) {
    throw damaged(`header.json and manifest.json disagree on the compression`);
  }
  if ((manifest.encryption === null) !== (header.encryption === undefined)) {
    throw damaged('header.json and manifest.json disagree on whether the backup is encrypted');
  }
  const listed = new Set<string>([HEADER_MEMBER_NAME]);
  for (const member of manifest.members) {
    const entry = entries.get(member.name);
    if (!entry) throw damaged(`the manifest lists ${member.name} but the tar has no such member`);
    if (entry.offset !== member.offset || entry.size !== member.storedSize) {
      throw damaged(
        `member ${member.name} is at byte ${entry.offset} with ${entry.size} bytes in the tar but the manifest records byte ${member.offset} with ${member.storedSize} bytes`,
      );
    }
    listed.add(member.name);
  }
  for (const name of entries.keys()) {
    if (!listed.has(name)) throw damaged(`the tar holds ${name}, which the manifest does not list`);
  }
}
