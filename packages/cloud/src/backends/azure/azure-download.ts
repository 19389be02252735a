import { PassThrough, Readable } from 'node:stream';
import { type ContainerClient, isRestError } from '@azure/storage-blob';
import type { ByteRange } from '../../storage-backend.js';
import { type AzureErrorSubject, toDownloadStreamError, toStorageError } from './azure-errors.js';

/**
 * The blob's bytes, or `range` of them. A range that runs past the end stops at the end; one that starts at or past
 * the end is empty. Errors while the body streams arrive on the stream as our typed errors; a connection reset is a
 * retryable StorageError, and the reader continues with a range from the bytes it has (the SDK's own resume does not
 * cover a reset: it reports those as an abort).
 */
export async function downloadBlob(container: ContainerClient, key: string, range?: ByteRange): Promise<Readable> {
  const subject: AzureErrorSubject = { container: container.containerName, key };
  const blob = container.getBlobClient(key);
  if (range) checkRange(range);
  try {
    if (range?.length === 0) {
      // The service has no way to ask for zero bytes (a count of 0 means "to the end"); still report a missing blob.
      await blob.getProperties();
      return Readable.from([]);
    }
    const response = range ? await blob.download(range.offset, range.length) : await blob.download();
    const body = response.readableStreamBody;
    return body ? withTypedErrors(body, subject) : Readable.from([]);
  } catch (error) {
    // 416: the range starts at or past the end of an existing blob (including any range of an empty blob).
    if (range && isRestError(error) && error.statusCode === 416) return Readable.from([]);
    throw toStorageError(error, subject);
  }
}

function checkRange(range: ByteRange): void {
  if (
    !Number.isSafeInteger(range.offset) ||
    range.offset < 0 ||
    !Number.isSafeInteger(range.length) ||
    range.length < 0
  ) {
    throw new RangeError(
      `azure: invalid byte range offset=${range.offset} length=${range.length}; both must be integers >= 0`,
    );
  }
}

function withTypedErrors(body: NodeJS.ReadableStream, subject: AzureErrorSubject): Readable {
  const source = body instanceof Readable ? body : new Readable().wrap(body);
  const output = new PassThrough();
  source.once('error', (error) => output.destroy(toDownloadStreamError(error, subject)));
  // A consumer that stops early (destroying what we returned) must also release the HTTP response.
  output.once('close', () => {
    if (!source.readableEnded) source.destroy();
  });
  source.pipe(output);
  return output;
}
