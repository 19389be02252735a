import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, readBody, sendEmpty, sendJson } from './http-helpers.js';
import { parseMultipartRelated } from './multipart-related.js';
import { newSession, type ObjectStore, objectResource, type ResumableSession } from './object-store.js';
import { parseGoogHash, verifyClaimedHashes } from './verify-hashes.js';

/** GCS requires every chunk but the last of a resumable upload to be a multiple of 256 KiB. */
export const RESUMABLE_CHUNK_GRANULARITY = 256 * 1024;

export interface UploadContext {
  store: ObjectStore;
  sessions: Map<string, ResumableSession>;
  baseUrl: string;
}

/** POST /upload/storage/v1/b/:bucket/o?uploadType=media|multipart|resumable */
export async function handleUploadPost(
  context: UploadContext,
  bucket: string,
  url: URL,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  context.store.bucket(bucket);
  const body = await readBody(request);
  const uploadType = url.searchParams.get('uploadType');
  if (uploadType === 'media') {
    const name = requireName(url.searchParams.get('name'));
    verifyClaimedHashes(body, parseGoogHash(request.headers['x-goog-hash']));
    const contentType = request.headers['content-type'] ?? 'application/octet-stream';
    const object = context.store.putObject(bucket, name, body, contentType);
    sendJson(response, 200, objectResource(object, context.baseUrl));
    return;
  }
  if (uploadType === 'multipart') {
    const [metadataPart, mediaPart] = parseMultipartRelated(request.headers['content-type'], body);
    if (!metadataPart || !mediaPart)
      throw new HttpError(400, 'multipart upload needs a metadata part and a media part');
    const metadata = JSON.parse(metadataPart.body.toString('utf8') || '{}') as Record<string, unknown>;
    const name = requireName(url.searchParams.get('name') ?? stringField(metadata.name));
    verifyClaimedHashes(mediaPart.body, { crc32c: stringField(metadata.crc32c), md5: stringField(metadata.md5Hash) });
    verifyClaimedHashes(mediaPart.body, parseGoogHash(request.headers['x-goog-hash']));
    const contentType =
      stringField(metadata.contentType) ?? mediaPart.headers['content-type'] ?? 'application/octet-stream';
    const object = context.store.putObject(bucket, name, Buffer.from(mediaPart.body), contentType);
    sendJson(response, 200, objectResource(object, context.baseUrl));
    return;
  }
  if (uploadType === 'resumable') {
    const metadata = (body.length > 0 ? JSON.parse(body.toString('utf8')) : {}) as Record<string, unknown>;
    const name = requireName(url.searchParams.get('name') ?? stringField(metadata.name));
    const contentType =
      headerValue(request.headers['x-upload-content-type']) ??
      stringField(metadata.contentType) ??
      'application/octet-stream';
    const declaredLength = headerValue(request.headers['x-upload-content-length']);
    const session = newSession(bucket, name, contentType, declaredLength === undefined ? null : Number(declaredLength));
    context.sessions.set(session.id, session);
    const location = new URL(`${context.baseUrl}/upload/storage/v1/b/${bucket}/o`);
    location.searchParams.set('uploadType', 'resumable');
    location.searchParams.set('name', name);
    location.searchParams.set('upload_id', session.id);
    sendEmpty(response, 200, { location: location.toString(), 'x-guploader-uploadid': session.id });
    return;
  }
  throw new HttpError(400, `unsupported uploadType ${uploadType ?? '(none)'}`);
}

/**
 * PUT <session URI>: one chunk (`Content-Range: bytes first-last/total|*`), a status query (`bytes *` then `/total`), or
 * the whole object (no Content-Range). Answers 308 Resume Incomplete with `Range: bytes=0-<last persisted>` until every byte arrived,
 * then checks X-Goog-Hash, stores the object and answers 200 with its resource.
 */
export async function handleResumablePut(
  context: UploadContext,
  url: URL,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const body = await readBody(request);
  const session = context.sessions.get(url.searchParams.get('upload_id') ?? '');
  if (!session) throw new HttpError(404, 'No such upload session', 'notFound');
  if (session.finished) {
    sendJson(response, 200, objectResource(session.finished, context.baseUrl));
    return;
  }
  const range = parseContentRange(headerValue(request.headers['content-range']), body.length);
  if (range.total !== null) {
    if (session.totalSize !== null && session.totalSize !== range.total) {
      throw new HttpError(400, `Content-Range total ${range.total} differs from the declared ${session.totalSize}`);
    }
    session.totalSize = range.total;
  }
  if (range.first !== null) {
    if (range.first > session.received) {
      throw new HttpError(400, `chunk starts at ${range.first} but only ${session.received} bytes were persisted`);
    }
    const fresh = body.subarray(session.received - range.first);
    const isFinal = session.totalSize !== null && session.received + fresh.length >= session.totalSize;
    if (!isFinal && (range.first + body.length) % RESUMABLE_CHUNK_GRANULARITY !== 0) {
      throw new HttpError(400, `a non-final chunk must end on a multiple of ${RESUMABLE_CHUNK_GRANULARITY} bytes`);
    }
    if (fresh.length > 0) {
      session.chunks.push(Buffer.from(fresh));
      session.received += fresh.length;
    }
  }
  if (session.totalSize !== null && session.received > session.totalSize) {
    throw new HttpError(400, `received ${session.received} bytes, more than the declared ${session.totalSize}`);
  }
  if (session.totalSize !== null && session.received === session.totalSize) {
    const data = Buffer.concat(session.chunks);
    verifyClaimedHashes(data, parseGoogHash(request.headers['x-goog-hash']));
    session.finished = context.store.putObject(session.bucket, session.name, data, session.contentType);
    session.chunks = [];
    sendJson(response, 200, objectResource(session.finished, context.baseUrl));
    return;
  }
  const headers: Record<string, string> = {};
  if (session.received > 0) headers.range = `bytes=0-${session.received - 1}`;
  sendEmpty(response, 308, headers);
}

/** DELETE <session URI>: cancels the upload; GCS answers 499. */
export function handleResumableDelete(context: UploadContext, url: URL, response: ServerResponse): void {
  const id = url.searchParams.get('upload_id') ?? '';
  if (!context.sessions.delete(id)) throw new HttpError(404, 'No such upload session', 'notFound');
  sendEmpty(response, 499);
}

interface ContentRange {
  // null for a status query (`bytes */total`).
  first: number | null;
  total: number | null;
}

function parseContentRange(header: string | undefined, bodyLength: number): ContentRange {
  if (header === undefined) return { first: 0, total: bodyLength };
  const match = /^bytes (\*|(\d+)-(-?\d+))\/(\*|\d+)$/.exec(header.trim());
  if (!match) throw new HttpError(400, `bad Content-Range ${header}`);
  const total = match[4] === '*' ? null : Number(match[4]);
  if (match[1] === '*') return { first: null, total };
  const first = Number(match[2]);
  const last = Number(match[3]);
  // An empty object is sent as `bytes 0--1/0` by the SDK.
  if (last - first + 1 !== bodyLength) {
    throw new HttpError(400, `Content-Range ${header} does not match the ${bodyLength}-byte body`);
  }
  return { first, total };
}

function requireName(name: string | undefined | null): string {
  if (!name) throw new HttpError(400, 'upload needs an object name (the name query parameter or metadata.name)');
  return name;
}

function stringField(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
