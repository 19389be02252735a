import { Readable } from 'node:stream';
import type { Bucket, FileMetadata, GetFilesResponse } from '@google-cloud/storage';
import { StorageError } from '../../errors.js';
import type {
  ByteRange,
  ObjectInfo,
  PutOptions,
  PutResult,
  StorageBackend,
  StorageCapabilities,
} from '../../storage-backend.js';
import { createStorageClient } from './create-storage-client.js';
import { DEFAULT_GCS_CHUNK_SIZE, GCS_CHUNK_GRANULARITY, type GcsBackendOptions } from './gcs-backend-options.js';
import { mapGcsError } from './map-gcs-error.js';
import { openObjectStream } from './open-object-stream.js';
import { uploadObject } from './upload-object.js';

const LIST_PAGE_SIZE = 1000;

/** Google Cloud Storage through @google-cloud/storage (JSON API), rooted at one bucket. */
export class GcsBackend implements StorageBackend {
  readonly kind = 'gcs' as const;
  readonly description: string;
  readonly capabilities: StorageCapabilities = {
    rangedReads: true,
    // Resumable uploads go in chunks; a failed chunk is resent, not the object.
    multipartUpload: true,
    // GCS has no listing of open resumable sessions; a failed put cancels its own session instead.
    incompleteUploads: false,
    // The final chunk carries X-Goog-Hash (crc32c) and the store rejects a mismatch.
    serverSideChecksum: true,
  };
  readonly #bucket: Bucket;
  readonly #bucketName: string;
  readonly #chunkSize: number;

  constructor(options: GcsBackendOptions) {
    const chunkSize = options.chunkSize ?? DEFAULT_GCS_CHUNK_SIZE;
    if (!Number.isInteger(chunkSize) || chunkSize <= 0 || chunkSize % GCS_CHUNK_GRANULARITY !== 0) {
      throw new StorageError(
        'gcs',
        'INVALID_OPTIONS',
        `gcs: chunkSize ${chunkSize} is not a positive multiple of 256 KiB (${GCS_CHUNK_GRANULARITY}); use e.g. ${DEFAULT_GCS_CHUNK_SIZE}`,
      );
    }
    if (!options.bucket) {
      throw new StorageError(
        'gcs',
        'INVALID_OPTIONS',
        'gcs: no bucket given; pass the bucket name, e.g. gcs://my-backups',
      );
    }
    const { storage } = createStorageClient(options);
    this.#bucket = storage.bucket(options.bucket);
    this.#bucketName = options.bucket;
    this.#chunkSize = chunkSize;
    this.description = `gcs://${options.bucket}`;
  }

  put(key: string, body: Readable, options: PutOptions = {}): Promise<PutResult> {
    return uploadObject(this.#bucket.file(key), this.#bucketName, body, this.#chunkSize, options);
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    if (range !== undefined && range.length <= 0) {
      // Nothing to read, but a missing key must still be reported.
      await this.stat(key);
      return Readable.from([]);
    }
    return openObjectStream(this.#bucket.file(key), this.#bucketName, range);
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    let pageToken: string | undefined;
    do {
      let page: GetFilesResponse;
      try {
        page = await this.#bucket.getFiles({ prefix, autoPaginate: false, maxResults: LIST_PAGE_SIZE, pageToken });
      } catch (error) {
        throw mapGcsError(error, { operation: 'list', bucket: this.#bucketName, key: prefix });
      }
      const [files, nextQuery] = page;
      for (const file of files) yield toObjectInfo(file.name, file.metadata);
      pageToken = nextQuery && 'pageToken' in nextQuery ? nextQuery.pageToken : undefined;
    } while (pageToken);
  }

  async stat(key: string): Promise<ObjectInfo> {
    try {
      const [metadata] = await this.#bucket.file(key).getMetadata();
      return toObjectInfo(key, metadata);
    } catch (error) {
      throw mapGcsError(error, { operation: 'stat', bucket: this.#bucketName, key });
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await this.#bucket.file(key).delete();
    } catch (error) {
      throw mapGcsError(error, { operation: 'delete', bucket: this.#bucketName, key });
    }
  }

  /** The SDK keeps no connections that need closing (gaxios/node-fetch agents are per request or keep-alive). */
  async close(): Promise<void> {}
}

function toObjectInfo(key: string, metadata: FileMetadata): ObjectInfo {
  const info: ObjectInfo = {
    key,
    size: Number(metadata.size ?? 0),
    modifiedAt: new Date(metadata.updated ?? metadata.timeCreated ?? 0),
  };
  if (metadata.generation !== undefined) info.etag = String(metadata.generation);
  return info;
}
