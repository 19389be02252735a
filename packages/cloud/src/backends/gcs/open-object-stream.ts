import { PassThrough, Readable } from 'node:stream';
import type { File } from '@google-cloud/storage';
import type { ByteRange } from '../../storage-backend.js';
import { mapGcsError } from './map-gcs-error.js';

interface SdkResponse {
  statusCode?: number;
  status?: number;
}

/**
 * The SDK's read stream only sends its request once read, and reports a 404 as a stream error. Start the request
 * here and wait for its status, so a missing key rejects get() itself with NotFoundError, then hand out a stream
 * whose errors are StorageErrors too. Whole-object reads are checked against the server's CRC32C; ranges cannot be.
 */
export async function openObjectStream(file: File, bucket: string, range?: ByteRange): Promise<Readable> {
  const context = { operation: 'get', bucket, key: file.name };
  const source =
    range === undefined
      ? file.createReadStream({ validation: 'crc32c' })
      : file.createReadStream({ start: range.offset, end: range.offset + range.length - 1, validation: false });

  try {
    await new Promise<void>((resolve, reject) => {
      source.once('error', reject);
      source.once('response', (response: SdkResponse) => {
        const status = response.statusCode ?? response.status ?? 0;
        // On an error status the SDK reads the body and then emits 'error'; wait for that.
        if (status < 400) resolve();
      });
      source.pause();
      source.read(0);
    });
  } catch (error) {
    source.destroy();
    const mapped = mapGcsError(error, context);
    // A range that starts at or past the end: the read "ends at the end of the object", i.e. it is empty.
    if (range !== undefined && httpStatus(error) === 416) return Readable.from([]);
    throw mapped;
  }

  const output = new PassThrough();
  source.on('error', (error) => output.destroy(mapGcsError(error, context)));
  output.on('close', () => {
    if (!source.destroyed) source.destroy();
  });
  source.pipe(output);
  return output;
}

function httpStatus(error: unknown): number | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}
