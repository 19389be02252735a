import { HttpError } from './http-helpers.js';

export interface MultipartPart {
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * Splits a multipart/related body (RFC 2387) into its parts; GCS multipart uploads carry the object's JSON metadata
 * first and its bytes second. Works on Buffers so binary media survives untouched.
 */
export function parseMultipartRelated(contentType: string | undefined, body: Buffer): MultipartPart[] {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType ?? '')?.[1];
  if (!contentType?.toLowerCase().startsWith('multipart/related') || !boundary) {
    throw new HttpError(400, 'multipart upload needs Content-Type: multipart/related; boundary=…');
  }
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let position = body.indexOf(delimiter);
  while (position !== -1) {
    const afterDelimiter = position + delimiter.length;
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, afterDelimiter);
    if (next === -1) throw new HttpError(400, 'multipart body is missing its closing boundary');
    parts.push(parsePart(body.subarray(afterDelimiter, next)));
    position = next;
  }
  return parts;
}

function parsePart(raw: Buffer): MultipartPart {
  // Each part is "\r\nheaders\r\n\r\nbody\r\n" between two delimiters.
  const start = raw.subarray(0, 2).toString() === '\r\n' ? 2 : 0;
  const headerEnd = raw.indexOf('\r\n\r\n', start);
  if (headerEnd === -1) throw new HttpError(400, 'multipart part has no header/body separator');
  const headers: Record<string, string> = {};
  for (const line of raw.subarray(start, headerEnd).toString('latin1').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let end = raw.length;
  if (raw.subarray(end - 2).toString() === '\r\n') end -= 2;
  return { headers, body: raw.subarray(headerEnd + 4, end) };
}
