/**
 * Writes a dbbackup archive (format v1) in one streaming pass: header.json, the engine's members, manifest.json
 * last, then the tar end. No seeks and no temporary files, so the sink can be a file, stdout or a cloud upload.
 */
import { once } from 'node:events';
import type { WriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { type EncryptionHeader, encryptBuffer } from '@dbbackup/crypto';
import { type CompressionAlgorithm, compressionExtension, DEFAULT_COMPRESSION_LEVEL } from '@dbbackup/pipeline';
import { ArchiveFormatError, ArchiveWriterStateError } from './errors.js';
import { discardPartialFile, openPartialFile, publishPartialFile } from './file-target.js';
import { ARCHIVE_FORMAT_NAME, FORMAT_VERSION, HEADER_MEMBER_NAME, MANIFEST_MEMBER_NAME } from './format.js';
import { describeIssues, manifestSchema, memberMetaSchema } from './manifest-schema.js';
import type {
  ArchiveHeader,
  BackupSource,
  CompressionSettings,
  Manifest,
  ManifestFields,
  MemberEntry,
  MemberKind,
  MemberMeta,
} from './manifest-types.js';
import { type EncodedMember, encodeMember, type MemberBody } from './member-encoder.js';
import { isReservedName, memberName } from './member-names.js';
import { encodeMemberHeader, endOfArchive, paddingFor } from './tar/tar-header.js';
import { TarSink } from './tar-sink.js';

export interface ArchiveWriterOptions {
  engine: string;
  toolVersion: string;
  compression: { algorithm: CompressionAlgorithm; level?: number };
  /** The backup's data key and its wrapped form (from crypto's createDataKey + wrapDataKey). */
  encryption?: { dataKey: Buffer; header: EncryptionHeader };
  /** Recorded as manifest.source: the server the backup was taken from. */
  source?: BackupSource;
}

export interface ArchiveWriteResult {
  manifest: Manifest;
  /** Bytes of the whole archive. */
  bytes: number;
  /** Hex sha256 of the whole archive. */
  sha256: string;
  /** Final path, for writers made with createFile. */
  path?: string;
}

interface FileTarget {
  path: string;
  stream: WriteStream;
}

type WriterState = 'open' | 'finishing' | 'finished' | 'aborted';

export class ArchiveWriter {
  readonly header: ArchiveHeader;
  readonly #sink: TarSink;
  readonly #options: ArchiveWriterOptions;
  readonly #compression: CompressionSettings;
  readonly #mtime: number;
  readonly #file: FileTarget | undefined;
  readonly #members: MemberEntry[] = [];
  readonly #names = new Set<string>();
  #sequence = 0;
  #state: WriterState = 'open';
  /** Appends run one after another in call order; this is the tail of that chain. */
  #appendChain: Promise<unknown> = Promise.resolve();
  /** The first failed append: the tar is broken from there on, so everything after fails the same way. */
  #failure: Error | undefined;

  private constructor(sink: Writable, options: ArchiveWriterOptions, file: FileTarget | undefined) {
    const startedAt = new Date();
    this.#sink = new TarSink(sink);
    this.#options = options;
    this.#file = file;
    this.#mtime = Math.floor(startedAt.getTime() / 1000);
    const { algorithm } = options.compression;
    this.#compression = { algorithm, level: options.compression.level ?? DEFAULT_COMPRESSION_LEVEL[algorithm] };
    this.header = {
      format: ARCHIVE_FORMAT_NAME,
      formatVersion: FORMAT_VERSION,
      engine: options.engine,
      toolVersion: options.toolVersion,
      createdAt: startedAt.toISOString(),
      compression: this.#compression,
      ...(options.encryption ? { encryption: options.encryption.header } : {}),
    };
  }

  /** Starts an archive on any Writable (stdout, a cloud upload, ...) and writes header.json. */
  static async create(sink: Writable, options: ArchiveWriterOptions): Promise<ArchiveWriter> {
    const writer = new ArchiveWriter(sink, options, undefined);
    await writer.#start();
    return writer;
  }

  /** Starts an archive at `<path>.partial`; finish() renames it to `path`. Refuses when `path` already exists. */
  static async createFile(path: string, options: ArchiveWriterOptions): Promise<ArchiveWriter> {
    const stream = await openPartialFile(path);
    const writer = new ArchiveWriter(stream, options, { path, stream });
    try {
      await writer.#start();
    } catch (error) {
      await discardPartialFile(path, stream);
      throw error;
    }
    return writer;
  }

  /** Reserves the next neutral tar name, e.g. allocateName('data', '.copy') → data/000017.copy.zst. */
  allocateName(kind: MemberKind, extension: string): string {
    const name = memberName(kind, this.#sequence + 1, extension, compressionExtension(this.#compression.algorithm));
    this.#sequence += 1;
    return name;
  }

  /** Compresses, encrypts and hashes one member body into memory; safe to call from many workers at once. */
  async encodeMember(body: MemberBody, name: string): Promise<EncodedMember> {
    this.#assertOpen();
    return encodeMember(body, name, { compression: this.#compression, dataKey: this.#options.encryption?.dataKey });
  }

  /** Appends an encoded member to the tar. Calls are serialised in call order; resolves with the manifest entry. */
  appendEncoded(meta: MemberMeta, encoded: EncodedMember): Promise<MemberEntry> {
    try {
      this.#assertOpen();
      const checkedMeta = memberMetaSchema.safeParse(meta);
      if (!checkedMeta.success) {
        throw new ArchiveWriterStateError(
          `invalid metadata for member ${encoded.name}: ${describeIssues(checkedMeta.error)}`,
        );
      }
      this.#reserveName(encoded.name);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#enqueue(async () => {
      const offset = await this.#writeMember(encoded.name, encoded.chunks, encoded.storedSize);
      const entry: MemberEntry = {
        name: encoded.name,
        ...meta,
        offset,
        storedSize: encoded.storedSize,
        plainSize: encoded.plainSize,
        sha256: encoded.sha256,
      };
      this.#members.push(entry);
      return entry;
    });
  }

  /** encodeMember + appendEncoded under a newly allocated name (extension as for allocateName). */
  async addMember(meta: MemberMeta, body: MemberBody, extension = ''): Promise<MemberEntry> {
    const name = this.allocateName(meta.kind, extension);
    return this.appendEncoded(meta, await this.encodeMember(body, name));
  }

  /** The entries appended so far, in tar order. */
  get members(): readonly MemberEntry[] {
    return this.#members;
  }

  /** Bytes written to the sink so far. */
  get bytesWritten(): number {
    return this.#sink.bytes;
  }

  /**
   * Waits for pending appends, validates and writes manifest.json (encrypted when the backup is), ends the tar and
   * the sink. File writers then fsync, close and rename `<path>.partial` to `<path>`.
   */
  async finish(fields: ManifestFields): Promise<ArchiveWriteResult> {
    this.#assertOpen();
    this.#state = 'finishing';
    try {
      await this.#appendChain;
      if (this.#failure) throw this.#failure;
      const manifest = this.#buildManifest(fields);
      const plain = Buffer.from(`${JSON.stringify(manifest)}\n`, 'utf8');
      const dataKey = this.#options.encryption?.dataKey;
      const stored = dataKey ? encryptBuffer(dataKey, plain, MANIFEST_MEMBER_NAME) : plain;
      await this.#writeMember(MANIFEST_MEMBER_NAME, [stored], stored.length);
      await this.#sink.write(endOfArchive());
      const bytes = this.#sink.bytes;
      const sha256 = await this.#sink.end();
      if (this.#file) {
        // The descriptor must be closed (and, with `flush`, fsynced) before the file is published.
        if (!this.#file.stream.closed) await once(this.#file.stream, 'close');
        await publishPartialFile(this.#file.path);
      }
      this.#state = 'finished';
      return { manifest, bytes, sha256, ...(this.#file ? { path: this.#file.path } : {}) };
    } catch (error) {
      await this.abort(error as Error);
      throw error;
    }
  }

  /**
   * Stops writing: destroys the sink (with `error`, so e.g. a cloud upload aborts) and, for file writers, deletes
   * `<path>.partial`. Safe to call more than once; a no-op after a successful finish.
   */
  async abort(error?: Error): Promise<void> {
    if (this.#state === 'finished' || this.#state === 'aborted') return;
    this.#state = 'aborted';
    this.#failure ??= error ?? new ArchiveWriterStateError('the archive writer was aborted');
    if (this.#file) {
      await discardPartialFile(this.#file.path, this.#file.stream);
    } else {
      this.#sink.destroy(error);
    }
  }

  async #start(): Promise<void> {
    const body = Buffer.from(`${JSON.stringify(this.header, null, 2)}\n`, 'utf8');
    await this.#writeMember(HEADER_MEMBER_NAME, [body], body.length);
  }

  /** Writes header blocks, body chunks and padding; returns the body's offset. */
  async #writeMember(name: string, chunks: readonly Buffer[], size: number): Promise<number> {
    const headerBlocks = encodeMemberHeader(name, size, this.#mtime);
    const offset = this.#sink.bytes + headerBlocks.length;
    await this.#sink.write(headerBlocks);
    for (const chunk of chunks) await this.#sink.write(chunk);
    await this.#sink.write(Buffer.alloc(paddingFor(size)));
    return offset;
  }

  #enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#appendChain.then(async () => {
      if (this.#failure) throw this.#failure;
      try {
        return await task();
      } catch (error) {
        this.#failure ??= error as Error;
        throw error;
      }
    });
    this.#appendChain = run.catch(() => undefined);
    return run;
  }

  #reserveName(name: string): void {
    if (isReservedName(name))
      throw new ArchiveWriterStateError(`member name ${name} is reserved for the archive itself`);
    if (this.#names.has(name)) throw new ArchiveWriterStateError(`member ${name} was already added to this archive`);
    this.#names.add(name);
  }

  #buildManifest(fields: ManifestFields): Manifest {
    const candidate: Manifest = {
      format: ARCHIVE_FORMAT_NAME,
      formatVersion: FORMAT_VERSION,
      toolVersion: this.#options.toolVersion,
      engine: this.#options.engine,
      serverVersion: fields.serverVersion,
      database: fields.database,
      cluster: fields.cluster,
      startedAt: fields.startedAt,
      finishedAt: fields.finishedAt,
      consistency: fields.consistency,
      compression: this.#compression,
      encryption: this.#options.encryption?.header ?? null,
      members: this.#members,
      extra: fields.extra,
      ...(this.#options.source ? { source: this.#options.source } : {}),
    };
    const result = manifestSchema.safeParse(candidate);
    if (!result.success) {
      throw new ArchiveFormatError(
        `cannot finish the backup: the manifest is invalid (${describeIssues(result.error)})`,
      );
    }
    return result.data;
  }

  #assertOpen(): void {
    if (this.#state !== 'open') {
      throw new ArchiveWriterStateError(`the archive writer is already ${this.#state}; start a new writer`);
    }
  }
}
