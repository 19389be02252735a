import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendObjectMedia } from './download-handler.js';
import { HttpError, readBody, sendEmpty, sendError, sendJson } from './http-helpers.js';
import { createBucket, deleteObject, getObjectMetadata, listBuckets, listObjects } from './json-api-handlers.js';
import { bucketResource, ObjectStore, type ResumableSession } from './object-store.js';
import { handleResumableDelete, handleResumablePut, handleUploadPost, type UploadContext } from './upload-handlers.js';

export interface GcsTestServerOptions {
  /** Buckets that exist from the start. */
  buckets?: string[];
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
}

export interface GcsTestServer {
  /** `http://127.0.0.1:<port>`: pass as `apiEndpoint`. */
  readonly endpoint: string;
  /** `http://127.0.0.1:<port>/storage/v1`: the form STORAGE_EMULATOR_HOST takes. */
  readonly emulatorHost: string;
  readonly store: ObjectStore;
  /** Every request received, in order (for asserting chunk counts and retries). */
  readonly requests: RecordedRequest[];
  /** Answers the next `count` requests with `status` (after reading their bodies), e.g. 503 for the retry case. */
  failNextRequests(count: number, status?: number): void;
  /** Destroys the socket of the next `count` requests before answering (the client sees ECONNRESET). */
  resetNextRequests(count: number): void;
  /** Closes every open connection now, as a restarting server or a flaky network would. */
  dropConnections(): void;
  /** Resumable sessions that were started but never finished or cancelled. */
  openSessionCount(): number;
  close(): Promise<void>;
}

/**
 * A small GCS JSON-API server for tests (no GCS emulator installs here): buckets, media/multipart/resumable upload,
 * ranged download with crc32c+md5, list, metadata and delete, in memory, on 127.0.0.1 and a free port. It is strict
 * where GCS is strict (chunk granularity, checksums it is sent) so the backend cannot pass by accident.
 */
export async function startGcsTestServer(options: GcsTestServerOptions = {}): Promise<GcsTestServer> {
  const store = new ObjectStore();
  for (const bucket of options.buckets ?? []) store.createBucket(bucket);
  const sessions = new Map<string, ResumableSession>();
  const requests: RecordedRequest[] = [];
  const faults = { failCount: 0, failStatus: 503, resetCount: 0 };
  const context: UploadContext = { store, sessions, baseUrl: '' };

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', context.baseUrl);
    requests.push({
      method: request.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: request.headers,
    });
    if (faults.resetCount > 0) {
      faults.resetCount--;
      request.socket.destroy();
      return;
    }
    if (faults.failCount > 0) {
      faults.failCount--;
      void readBody(request).then(() => sendError(response, faults.failStatus, 'injected failure', 'backendError'));
      return;
    }
    route(context, url, request, response).catch((error: unknown) => {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      if (error instanceof HttpError) sendError(response, error.status, error.message, error.reason);
      else sendError(response, 500, error instanceof Error ? error.message : String(error), 'backendError');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  context.baseUrl = `http://127.0.0.1:${port}`;

  return {
    endpoint: context.baseUrl,
    emulatorHost: `${context.baseUrl}/storage/v1`,
    store,
    requests,
    failNextRequests(count, status = 503) {
      faults.failCount = count;
      faults.failStatus = status;
    },
    resetNextRequests(count) {
      faults.resetCount = count;
    },
    dropConnections() {
      server.closeAllConnections();
    },
    openSessionCount() {
      return [...sessions.values()].filter((session) => !session.finished).length;
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

async function route(
  context: UploadContext,
  url: URL,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const method = request.method ?? 'GET';
  // Object names arrive percent-encoded in one segment ('a%2Fb'): split first, then decode each segment.
  const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const [root, ...afterRoot] = segments;
  // Paths are /storage/v1/b/…, /download/storage/v1/b/… or /upload/storage/v1/b/…
  const prefixLength = root === 'storage' ? 0 : 1;
  const [storageWord, version, bucketsWord, bucket, objectsWord, ...objectParts] =
    prefixLength === 0 ? segments : afterRoot;
  const object = objectParts.length > 0 ? objectParts.join('/') : undefined;
  const routeKind = storageWord === 'storage' && version === 'v1' && bucketsWord === 'b' ? root : undefined;

  if (routeKind === 'storage') {
    if (bucket === undefined && method === 'GET') return listBuckets(context.store, response);
    if (bucket === undefined && method === 'POST') return createBucket(context.store, request, response);
    if (bucket !== undefined && objectsWord === undefined) return routeBucket(context, bucket, method, response);
    if (bucket !== undefined && objectsWord === 'o')
      return routeObject(context, bucket, object, url, request, response);
  }
  if (
    routeKind === 'download' &&
    bucket !== undefined &&
    objectsWord === 'o' &&
    object !== undefined &&
    method === 'GET'
  ) {
    return sendObjectMedia(context.store.object(bucket, object), request, response);
  }
  if (routeKind === 'upload' && bucket !== undefined && objectsWord === 'o' && object === undefined) {
    if (method === 'POST') return handleUploadPost(context, bucket, url, request, response);
    if (method === 'PUT') return handleResumablePut(context, url, request, response);
    if (method === 'DELETE') return handleResumableDelete(context, url, response);
  }
  throw new HttpError(404, `no route ${method} ${url.pathname}`, 'notFound');
}

async function routeBucket(
  context: UploadContext,
  bucket: string,
  method: string,
  response: ServerResponse,
): Promise<void> {
  if (method === 'GET') return sendJson(response, 200, bucketResource(context.store.bucket(bucket)));
  if (method === 'DELETE') {
    context.store.deleteBucket(bucket);
    return sendEmpty(response, 204);
  }
  throw new HttpError(405, `${method} is not supported on a bucket`);
}

async function routeObject(
  context: UploadContext,
  bucket: string,
  object: string | undefined,
  url: URL,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const { store, baseUrl } = context;
  const method = request.method ?? 'GET';
  if (object === undefined && method === 'GET') return listObjects(store, bucket, url, baseUrl, response);
  if (object !== undefined && method === 'GET' && url.searchParams.get('alt') === 'media') {
    return sendObjectMedia(store.object(bucket, object), request, response);
  }
  if (object !== undefined && method === 'GET') return getObjectMetadata(store, bucket, object, baseUrl, response);
  if (object !== undefined && method === 'DELETE') return deleteObject(store, bucket, object, response);
  throw new HttpError(405, `${method} is not supported here`);
}
