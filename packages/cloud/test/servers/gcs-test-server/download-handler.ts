import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendEmpty } from './http-helpers.js';
import type { StoredObject } from './object-store.js';

/**
 * GET …/o/:object?alt=media, with `Range: bytes=first-last`, `bytes=first-` or `bytes=-suffix` (206 + Content-Range;
 * 416 when the range starts past the end). x-goog-hash always carries the whole object's crc32c and md5, as GCS does
 * even for ranges, and x-goog-stored-content-encoding tells the SDK the bytes are safe to validate.
 */
export function sendObjectMedia(object: StoredObject, request: IncomingMessage, response: ServerResponse): void {
  const size = object.data.length;
  const headers: Record<string, string | number> = {
    'content-type': object.contentType,
    'x-goog-hash': `crc32c=${object.crc32c},md5=${object.md5Hash}`,
    'x-goog-generation': String(object.generation),
    'x-goog-metageneration': '1',
    'x-goog-stored-content-encoding': 'identity',
    'x-goog-stored-content-length': size,
    etag: `"${object.md5Hash}"`,
    'last-modified': object.updated.toUTCString(),
    'accept-ranges': 'bytes',
  };
  const range = parseRange(request.headers.range, size);
  if (range === 'unsatisfiable') {
    sendEmpty(response, 416, { 'content-range': `bytes */${size}` });
    return;
  }
  if (range === null) {
    response.writeHead(200, { ...headers, 'content-length': size });
    response.end(object.data);
    return;
  }
  const body = object.data.subarray(range.first, range.last + 1);
  response.writeHead(206, {
    ...headers,
    'content-length': body.length,
    'content-range': `bytes ${range.first}-${range.last}/${size}`,
  });
  response.end(body);
}

function parseRange(
  header: string | undefined,
  size: number,
): { first: number; last: number } | 'unsatisfiable' | null {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (!match || (match[1] === '' && match[2] === '')) return null;
  if (match[1] === '') {
    // Suffix range: the last N bytes.
    const length = Math.min(Number(match[2]), size);
    if (length === 0) return 'unsatisfiable';
    return { first: size - length, last: size - 1 };
  }
  const first = Number(match[1]);
  if (first >= size) return 'unsatisfiable';
  const last = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (last < first) return null;
  return { first, last };
}
