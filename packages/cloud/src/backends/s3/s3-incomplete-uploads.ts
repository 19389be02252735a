import { AbortMultipartUploadCommand, ListMultipartUploadsCommand, type S3Client } from '@aws-sdk/client-s3';
import type { IncompleteUpload } from '../../storage-backend.js';
import { toStorageError } from './s3-errors.js';

/** Multipart uploads under `prefix` that were started and neither completed nor aborted (they are billed). */
export async function* listS3IncompleteUploads(
  client: S3Client,
  bucket: string,
  prefix: string,
): AsyncGenerator<IncompleteUpload> {
  let keyMarker: string | undefined;
  let uploadIdMarker: string | undefined;
  for (;;) {
    const page = await client
      .send(
        new ListMultipartUploadsCommand({
          Bucket: bucket,
          Prefix: prefix,
          ...(keyMarker === undefined ? {} : { KeyMarker: keyMarker }),
          ...(uploadIdMarker === undefined ? {} : { UploadIdMarker: uploadIdMarker }),
        }),
      )
      .catch((error: unknown) => {
        throw toStorageError(error, { bucket, operation: 'listing incomplete uploads of' });
      });
    for (const upload of page.Uploads ?? []) {
      if (upload.Key === undefined || upload.UploadId === undefined) continue;
      yield { key: upload.Key, uploadId: upload.UploadId, startedAt: upload.Initiated ?? null };
    }
    if (!page.IsTruncated) return;
    keyMarker = page.NextKeyMarker;
    uploadIdMarker = page.NextUploadIdMarker;
  }
}

export async function abortS3IncompleteUpload(
  client: S3Client,
  bucket: string,
  upload: IncompleteUpload,
): Promise<void> {
  try {
    await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: upload.key, UploadId: upload.uploadId }));
  } catch (error) {
    throw toStorageError(error, { bucket, key: upload.key, operation: 'abort of the incomplete upload of' });
  }
}
