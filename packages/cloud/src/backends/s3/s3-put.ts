import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { PutOptions, PutResult } from '../../storage-backend.js';
import { toStorageError } from './s3-errors.js';

export interface S3PutSettings {
  bucket: string;
  partSize: number;
  queueSize: number;
}

/**
 * Streams `body` into `key` with lib-storage's Upload: one PutObject when the body fits in a part, otherwise a
 * multipart upload with `queueSize` parts in flight (each part retried by the SDK's retry strategy). A failure —
 * of a part, of the body stream, or an abort — makes Upload abort the multipart upload (leavePartsOnError false)
 * before this promise rejects, so S3 keeps neither a half-written object nor billed parts.
 */
export async function putS3Object(
  client: S3Client,
  settings: S3PutSettings,
  key: string,
  body: Readable,
  options: PutOptions = {},
): Promise<PutResult> {
  let size = 0;
  let bodyFailure: unknown;
  // Remembered as it happens: Upload rethrows it too, but the body's own error is the one worth reporting.
  body.once('error', (error) => {
    bodyFailure ??= error;
  });
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      callback(null, chunk);
    },
  });
  // pipeline carries a body error (or the caller's abort) into `counter`, which fails the Upload's reader. Its own
  // rejection is not the cause: the body's 'error' event and the signal say what happened first.
  const piping = pipeline(body, counter, options.signal ? { signal: options.signal } : {}).catch(() => undefined);

  const upload = new Upload({
    client,
    params: {
      Bucket: settings.bucket,
      Key: key,
      Body: counter,
      ...(options.contentType === undefined ? {} : { ContentType: options.contentType }),
      ...(options.contentLength === undefined ? {} : { ContentLength: options.contentLength }),
    },
    partSize: settings.partSize,
    queueSize: settings.queueSize,
    leavePartsOnError: false,
  });
  const onProgress = options.onProgress;
  if (onProgress) {
    upload.on('httpUploadProgress', (progress) => {
      if (progress.loaded !== undefined) onProgress(progress.loaded);
    });
  }

  try {
    const result = await upload.done();
    await piping;
    return { key, size, ...(result.ETag === undefined ? {} : { etag: result.ETag }) };
  } catch (error) {
    // The store failed while the body was still flowing: release it (and whatever produces it).
    if (!counter.destroyed) counter.destroy();
    await piping;
    if (options.signal?.aborted) throw options.signal.reason;
    throw bodyFailure ?? toStorageError(error, { bucket: settings.bucket, key, operation: 'upload of' });
  }
}
