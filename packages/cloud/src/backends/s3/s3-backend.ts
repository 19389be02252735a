import { Readable } from 'node:stream';
import { DeleteObjectCommand, HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { ObjectInfo, StorageBackend } from '../../storage-backend.js';
import type { S3BackendOptions } from './s3-backend-options.js';
import { createS3Client } from './s3-client.js';
import { toStorageError } from './s3-errors.js';
import { abortS3IncompleteUpload, listS3IncompleteUploads } from './s3-incomplete-uploads.js';
import { putS3Object } from './s3-put.js';
import { openS3Object } from './s3-read.js';

/** S3's smallest part (every part but the last must be at least this big). */
const minimumPartSize = 5 * 1024 * 1024;
const defaultQueueSize = 4;

/**
 * A StorageBackend over one bucket of AWS S3 or any S3-compatible store (MinIO, Backblaze B2, s3rver). Keys are
 * object names in the bucket. Credentials come from the SDK's default chain, or from `options.env` when given.
 */
export function createS3Backend(options: S3BackendOptions): StorageBackend {
  const { bucket } = options;
  if (bucket === '') throw new TypeError('createS3Backend: bucket must not be empty (s3://BUCKET/prefix)');
  const partSize = options.partSize ?? minimumPartSize;
  if (partSize < minimumPartSize) {
    throw new RangeError(`createS3Backend: partSize ${partSize} is below S3's minimum part size of 5 MiB`);
  }
  const queueSize = options.queueSize ?? defaultQueueSize;
  const client: S3Client = createS3Client(options);

  async function stat(key: string): Promise<ObjectInfo> {
    try {
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return {
        key,
        size: head.ContentLength ?? 0,
        modifiedAt: head.LastModified ?? new Date(0),
        ...(head.ETag === undefined ? {} : { etag: head.ETag }),
      };
    } catch (error) {
      throw toStorageError(error, { bucket, key, operation: 'stat of' });
    }
  }

  async function* list(prefix: string): AsyncGenerator<ObjectInfo> {
    let continuationToken: string | undefined;
    do {
      const page = await client
        .send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: prefix,
            ...(continuationToken === undefined ? {} : { ContinuationToken: continuationToken }),
          }),
        )
        .catch((error: unknown) => {
          throw toStorageError(error, { bucket, key: prefix, operation: 'listing of' });
        });
      for (const object of page.Contents ?? []) {
        if (object.Key === undefined) continue;
        yield {
          key: object.Key,
          size: object.Size ?? 0,
          modifiedAt: object.LastModified ?? new Date(0),
          ...(object.ETag === undefined ? {} : { etag: object.ETag }),
        };
      }
      continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (continuationToken !== undefined);
  }

  return {
    kind: 's3',
    // The URI form openStorage accepts (the endpoint is a separate option there, as here).
    description: `s3://${bucket}`,
    capabilities: { rangedReads: true, multipartUpload: true, incompleteUploads: true, serverSideChecksum: true },

    put(key, body, putOptions) {
      return putS3Object(client, { bucket, partSize, queueSize }, key, body, putOptions);
    },

    async get(key, range) {
      // A zero-length range has no HTTP form; it still has to fail for a missing key.
      if (range?.length === 0) {
        await stat(key);
        return Readable.from([], { objectMode: false });
      }
      const body = await openS3Object(client, bucket, key, range);
      if (body !== undefined) return body;
      // The range starts at or past the end: nothing to read, provided the object exists.
      await stat(key);
      return Readable.from([], { objectMode: false });
    },

    list,
    stat,

    async delete(key) {
      // S3 deletes are idempotent (204 for a missing key); the interface promises NotFoundError, so look first.
      await stat(key);
      try {
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      } catch (error) {
        throw toStorageError(error, { bucket, key, operation: 'delete of' });
      }
    },

    listIncompleteUploads(prefix) {
      return listS3IncompleteUploads(client, bucket, prefix);
    },

    abortIncompleteUpload(upload) {
      return abortS3IncompleteUpload(client, bucket, upload);
    },

    async close() {
      client.destroy();
    },
  };
}
