import { PassThrough, type Readable } from 'node:stream';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ByteRange } from '../../storage-backend.js';
import { type S3ErrorContext, toStorageError } from './s3-errors.js';

/** The object's bytes, or `range` of them. Returns undefined when S3 says the range starts at or past the end. */
export async function openS3Object(
  client: S3Client,
  bucket: string,
  key: string,
  range?: ByteRange,
): Promise<Readable | undefined> {
  const context: S3ErrorContext = { bucket, key, operation: 'download of' };
  try {
    const output = await client.send(
      new GetObjectCommand({
        Bucket: bucket,
        Key: key,
        ...(range === undefined ? {} : { Range: `bytes=${range.offset}-${range.offset + range.length - 1}` }),
      }),
    );
    return typedErrors(output.Body as Readable, context);
  } catch (error) {
    // 416: the range starts at or beyond the end (always so for an empty object); the caller decides what it means.
    if (range !== undefined && isInvalidRange(error)) return undefined;
    throw toStorageError(error, context);
  }
}

/**
 * Passes the response body on, turning a connection that breaks mid-download into a retryable StorageError, and
 * releasing the socket when the reader stops early.
 */
function typedErrors(body: Readable, context: S3ErrorContext): Readable {
  const output = new PassThrough();
  body.on('error', (error) => output.destroy(toStorageError(error, context)));
  output.on('close', () => {
    if (!body.destroyed) body.destroy();
  });
  body.pipe(output);
  return output;
}

function isInvalidRange(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const record = error as { name?: unknown; Code?: unknown; $metadata?: { httpStatusCode?: unknown } };
  return record.name === 'InvalidRange' || record.Code === 'InvalidRange' || record.$metadata?.httpStatusCode === 416;
}
