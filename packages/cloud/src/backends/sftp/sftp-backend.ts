import { type Readable, Readable as ReadableStream } from 'node:stream';
import { NotFoundError } from '../../errors.js';
import type {
  ByteRange,
  ObjectInfo,
  PutOptions,
  PutResult,
  StorageBackend,
  StorageCapabilities,
} from '../../storage-backend.js';
import { closeHandle, fstatHandle, openFile, statPath, unlinkFile } from './sftp-calls.js';
import type { SftpSession } from './sftp-connection.js';
import { toSftpStorageError } from './sftp-errors.js';
import { listFiles, objectInfo } from './sftp-list.js';
import { remotePathOf } from './sftp-paths.js';
import { putFile } from './sftp-put.js';
import { SftpSessionHolder } from './sftp-session-holder.js';

/** Bytes ssh2 asks for per READ request (it splits larger reads to the server's limit, one after another). */
const READ_CHUNK_BYTES = 256 * 1024;

/**
 * Objects are files under a root directory on an SSH server. Uploads go to a `.partial-<random>` file renamed into
 * place when complete, so there are no incomplete uploads to list or abort.
 */
export class SftpBackend implements StorageBackend {
  readonly kind = 'sftp' as const;
  readonly description: string;
  readonly capabilities: StorageCapabilities = {
    rangedReads: true,
    multipartUpload: false,
    incompleteUploads: false,
    serverSideChecksum: false,
  };
  readonly #root: string;
  readonly #sessions: SftpSessionHolder;

  constructor(root: string, description: string, openSession: () => Promise<SftpSession>) {
    this.#root = root;
    this.description = description;
    this.#sessions = new SftpSessionHolder(openSession);
  }

  /** Opens the connection now, so wrong credentials or an unknown host key fail before any transfer. */
  async connect(): Promise<void> {
    await this.#sessions.session();
  }

  async put(key: string, body: Readable, options: PutOptions = {}): Promise<PutResult> {
    const path = remotePathOf(this.#root, key);
    try {
      const { sftp } = await this.#sessions.session();
      const size = await putFile(sftp, path, body, options);
      return { key, size };
    } catch (error) {
      body.destroy();
      throw this.#mapError(error, key, 'put');
    }
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    const path = remotePathOf(this.#root, key);
    try {
      const { sftp } = await this.#sessions.session();
      const handle = await openFile(sftp, path, 'r');
      // Opening a directory for reading succeeds on Linux; it is not an object.
      if (!(await fstatHandle(sftp, handle)).isFile()) {
        await closeHandle(sftp, handle);
        throw new NotFoundError('sftp', key, `sftp: no object '${key}' in ${this.description} (it is a directory)`);
      }
      if (range?.length === 0) {
        await closeHandle(sftp, handle);
        return ReadableStream.from([]);
      }
      const source = sftp.createReadStream(path, {
        handle,
        highWaterMark: READ_CHUNK_BYTES,
        ...(range === undefined ? {} : { start: range.offset, end: range.offset + range.length - 1 }),
      });
      // The iterator below reports errors while it reads; a late one (closing the handle after the end, as the
      // connection goes away) has no reader and must not become an uncaught exception.
      source.on('error', () => {});
      return ReadableStream.from(this.#mapStreamErrors(source, key), { objectMode: false });
    } catch (error) {
      throw this.#mapError(error, key, 'get');
    }
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    try {
      const { sftp } = await this.#sessions.session();
      yield* listFiles(sftp, this.#root, prefix);
    } catch (error) {
      throw this.#mapError(error, undefined, `list '${prefix}' in`);
    }
  }

  async stat(key: string): Promise<ObjectInfo> {
    const path = remotePathOf(this.#root, key);
    try {
      const { sftp } = await this.#sessions.session();
      const attributes = await statPath(sftp, path);
      if (!attributes.isFile()) {
        throw new NotFoundError('sftp', key, `sftp: no object '${key}' in ${this.description} (it is a directory)`);
      }
      return objectInfo(key, attributes);
    } catch (error) {
      throw this.#mapError(error, key, 'stat');
    }
  }

  async delete(key: string): Promise<void> {
    const path = remotePathOf(this.#root, key);
    try {
      const { sftp } = await this.#sessions.session();
      await unlinkFile(sftp, path);
    } catch (error) {
      throw this.#mapError(error, key, 'delete');
    }
  }

  close(): Promise<void> {
    return this.#sessions.close();
  }

  async *#mapStreamErrors(source: Readable, key: string): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of source) yield chunk as Buffer;
    } catch (error) {
      throw this.#mapError(error, key, 'read');
    } finally {
      source.destroy();
    }
  }

  #mapError(error: unknown, key: string | undefined, action: string): Error {
    return toSftpStorageError(error, { key, action, location: this.description });
  }
}
