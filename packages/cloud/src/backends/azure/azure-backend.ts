import type { Readable } from 'node:stream';
import type { ContainerClient } from '@azure/storage-blob';
import type {
  ByteRange,
  ObjectInfo,
  PutOptions,
  PutResult,
  StorageBackend,
  StorageCapabilities,
} from '../../storage-backend.js';
import {
  type AzureBackendOptions,
  DEFAULT_AZURE_BLOCK_SIZE,
  DEFAULT_AZURE_CONCURRENCY,
  DEFAULT_AZURE_MAX_TRIES,
} from './azure-backend-options.js';
import { createAzureContainerClient } from './azure-client.js';
import { downloadBlob } from './azure-download.js';
import { toStorageError } from './azure-errors.js';
import { type AzureUploadSettings, uploadBlockBlob } from './azure-upload.js';

const AZURE_CAPABILITIES: StorageCapabilities = {
  rangedReads: true,
  multipartUpload: true,
  // Uncommitted blocks are invisible and discarded by the service, so there is nothing to list or abort.
  incompleteUploads: false,
  // The SDK sends no per-block MD5/CRC64 unless asked, and the commit does not check one over the whole blob.
  serverSideChecksum: false,
};

/** Azure Blob Storage, rooted at one container. Keys are blob names. */
export class AzureBackend implements StorageBackend {
  readonly kind = 'azure' as const;
  readonly description: string;
  readonly capabilities = AZURE_CAPABILITIES;
  readonly #container: ContainerClient;
  readonly #upload: AzureUploadSettings;

  constructor(options: AzureBackendOptions) {
    if (!options.container) throw new RangeError('azure: a container name is required, e.g. azure://backups');
    this.#container = createAzureContainerClient({
      container: options.container,
      env: options.env ?? process.env,
      endpoint: options.endpoint,
      maxTries: positiveInteger(options.maxTries ?? DEFAULT_AZURE_MAX_TRIES, 'maxTries'),
    });
    this.#upload = {
      blockSize: positiveInteger(options.blockSize ?? DEFAULT_AZURE_BLOCK_SIZE, 'blockSize'),
      concurrency: positiveInteger(options.concurrency ?? DEFAULT_AZURE_CONCURRENCY, 'concurrency'),
    };
    this.description = `azure://${options.container}`;
  }

  put(key: string, body: Readable, options?: PutOptions): Promise<PutResult> {
    return uploadBlockBlob(this.#container, key, body, this.#upload, options);
  }

  get(key: string, range?: ByteRange): Promise<Readable> {
    return downloadBlob(this.#container, key, range);
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    try {
      for await (const item of this.#container.listBlobsFlat({ prefix: prefix || undefined })) {
        yield {
          key: item.name,
          size: item.properties.contentLength ?? 0,
          modifiedAt: item.properties.lastModified,
          etag: item.properties.etag,
        };
      }
    } catch (error) {
      throw toStorageError(error, { container: this.#container.containerName });
    }
  }

  async stat(key: string): Promise<ObjectInfo> {
    try {
      const properties = await this.#container.getBlobClient(key).getProperties();
      return {
        key,
        size: properties.contentLength ?? 0,
        modifiedAt: properties.lastModified ?? new Date(0),
        etag: properties.etag,
      };
    } catch (error) {
      throw toStorageError(error, { container: this.#container.containerName, key });
    }
  }

  async delete(key: string): Promise<void> {
    try {
      // A blob with snapshots cannot be deleted alone; the backup is gone either way, so its snapshots go too.
      await this.#container.getBlobClient(key).delete({ deleteSnapshots: 'include' });
    } catch (error) {
      throw toStorageError(error, { container: this.#container.containerName, key });
    }
  }

  /** The SDK's keep-alive sockets are unreferenced when idle and hold nothing open, so there is nothing to close. */
  async close(): Promise<void> {}
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`azure: ${name} must be a positive integer, got ${value}`);
  }
  return value;
}
