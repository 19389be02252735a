import type { Readable } from 'node:stream';
import type { ContainerClient } from '@azure/storage-blob';
import type { PutOptions, PutResult } from '../../storage-backend.js';
import { toStorageError } from './azure-errors.js';

export interface AzureUploadSettings {
  blockSize: number;
  concurrency: number;
}

/**
 * Streams `body` into a block blob: blocks of `blockSize` are staged `concurrency` at a time and the blob appears
 * only when the block list is committed. A failed or aborted upload commits nothing, so no blob is left (the service
 * discards uncommitted blocks by itself after a week) and an existing blob of that name stays as it was.
 */
export async function uploadBlockBlob(
  container: ContainerClient,
  key: string,
  body: Readable,
  settings: AzureUploadSettings,
  options: PutOptions = {},
): Promise<PutResult> {
  const { signal } = options;
  signal?.throwIfAborted();
  // The SDK waits for 'end' or 'error' from the body; a stream that already failed would never send either.
  if (body.destroyed) {
    throw body.errored ?? new Error(`azure: the body for ${key} was destroyed before the upload began`);
  }
  let bodyError: unknown;
  const rememberBodyError = (error: unknown) => {
    bodyError ??= error;
  };
  body.once('error', rememberBodyError);
  // uploadStream passes its abortSignal only to the final commit, not to the staged blocks; destroying the body
  // makes it stop reading and reject at once.
  const abort = () => body.destroy(signal?.reason instanceof Error ? signal.reason : new Error('put aborted'));
  signal?.addEventListener('abort', abort, { once: true });
  let uploaded = 0;
  try {
    const response = await container
      .getBlockBlobClient(key)
      .uploadStream(body, settings.blockSize, settings.concurrency, {
        abortSignal: signal,
        blobHTTPHeaders: options.contentType ? { blobContentType: options.contentType } : undefined,
        onProgress: (progress) => {
          uploaded = progress.loadedBytes;
          options.onProgress?.(uploaded);
        },
      });
    return { key, size: uploaded, etag: response.etag };
  } catch (error) {
    // Let whoever feeds the body know that nobody reads it any more.
    if (!body.destroyed) body.destroy();
    if (signal?.aborted) throw signal.reason;
    if (bodyError !== undefined && error === bodyError) throw error;
    throw toStorageError(error, { container: container.containerName, key });
  } finally {
    signal?.removeEventListener('abort', abort);
    body.off('error', rememberBodyError);
  }
}
