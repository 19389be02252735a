import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { File } from '@google-cloud/storage';
import type { PutOptions, PutResult } from '../../storage-backend.js';
import { mapGcsError } from './map-gcs-error.js';

interface ChunkResponse {
  status?: number;
  headers?: Record<string, string | undefined>;
}

/**
 * A resumable upload in `chunkSize` requests. The SDK keeps the current chunk in memory and, on a 5xx, 429 or reset,
 * asks the server how much it persisted and resends from there, so a failure costs one chunk. The object appears
 * only when the final chunk lands and the server's CRC32C matches the one computed here; on failure the session is
 * cancelled, so nothing is left behind.
 */
export async function uploadObject(
  file: File,
  bucket: string,
  body: Readable,
  chunkSize: number,
  options: PutOptions,
): Promise<PutResult> {
  const metadata: Record<string, unknown> = { contentType: options.contentType ?? 'application/octet-stream' };
  if (options.contentLength !== undefined) metadata.contentLength = options.contentLength;
  const upload = file.createWriteStream({ resumable: true, chunkSize, validation: 'crc32c', metadata });

  let sessionUri: string | undefined;
  upload.on('uri', (uri: string) => {
    sessionUri = uri;
  });
  if (options.onProgress) {
    const onProgress = options.onProgress;
    // 308 Resume Incomplete carries `Range: bytes=0-<last persisted byte>`: that is what the server acknowledged.
    upload.on('response', (response: ChunkResponse) => {
      const persisted = /^bytes=0-(\d+)$/.exec(response.headers?.range ?? '');
      if (persisted) onProgress(Number(persisted[1]) + 1);
    });
  }
  let bodyError: unknown;
  body.once('error', (error) => {
    bodyError = error;
  });

  try {
    await pipeline(body, upload, options.signal ? { signal: options.signal } : {});
  } catch (error) {
    if (sessionUri !== undefined) await cancelSession(sessionUri);
    // The caller's own failures (its stream broke, it aborted) come back unchanged; only the store's are mapped.
    if (bodyError !== undefined && error === bodyError) throw error;
    if (options.signal?.aborted) throw options.signal.reason ?? error;
    throw mapGcsError(error, { operation: 'put', bucket, key: file.name });
  }
  const size = Number(file.metadata.size ?? 0);
  options.onProgress?.(size);
  const result: PutResult = { key: file.name, size };
  if (file.metadata.generation !== undefined) result.etag = String(file.metadata.generation);
  return result;
}

/**
 * DELETE on the session URI ends a resumable upload (GCS answers 499). The URI itself authorizes the request, so no
 * credentials are sent. Best effort: an unreachable server will expire the session on its own.
 */
async function cancelSession(sessionUri: string): Promise<void> {
  try {
    const response = await fetch(sessionUri, { method: 'DELETE', signal: AbortSignal.timeout(10_000) });
    await response.body?.cancel();
  } catch {
    // The upload already failed; a session we could not cancel expires after a week and holds no object.
  }
}
