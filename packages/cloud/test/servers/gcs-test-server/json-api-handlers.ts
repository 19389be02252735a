import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, readBody, sendEmpty, sendJson } from './http-helpers.js';
import { bucketResource, type ObjectStore, objectResource } from './object-store.js';

const DEFAULT_PAGE_SIZE = 1000;

/** GET /storage/v1/b */
export function listBuckets(store: ObjectStore, response: ServerResponse): void {
  sendJson(response, 200, { kind: 'storage#buckets', items: [...store.buckets.values()].map(bucketResource) });
}

/** POST /storage/v1/b with `{ "name": … }` */
export async function createBucket(
  store: ObjectStore,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const body = JSON.parse((await readBody(request)).toString('utf8') || '{}') as { name?: unknown };
  if (typeof body.name !== 'string' || body.name === '') throw new HttpError(400, 'bucket needs a name');
  sendJson(response, 200, bucketResource(store.createBucket(body.name)));
}

/**
 * GET /storage/v1/b/:bucket/o?prefix=&delimiter=&pageToken=&maxResults= — names in lexicographic order, as GCS
 * lists them; the page token is the last name returned, base64url-encoded.
 */
export function listObjects(
  store: ObjectStore,
  bucket: string,
  url: URL,
  baseUrl: string,
  response: ServerResponse,
): void {
  const prefix = url.searchParams.get('prefix') ?? '';
  const delimiter = url.searchParams.get('delimiter') ?? '';
  const maxResults = Number(url.searchParams.get('maxResults') ?? DEFAULT_PAGE_SIZE) || DEFAULT_PAGE_SIZE;
  const pageToken = url.searchParams.get('pageToken');
  const after = pageToken ? Buffer.from(pageToken, 'base64url').toString('utf8') : null;

  const names = [...store.bucket(bucket).objects.keys()]
    .filter((name) => name.startsWith(prefix) && (after === null || name > after))
    .sort();
  const items: Record<string, unknown>[] = [];
  const prefixes = new Set<string>();
  let lastName: string | null = null;
  let truncated = false;
  for (const name of names) {
    if (items.length + prefixes.size >= maxResults) {
      truncated = true;
      break;
    }
    const cut = delimiter ? name.indexOf(delimiter, prefix.length) : -1;
    if (cut !== -1) {
      const commonPrefix = name.slice(0, cut + delimiter.length);
      if (!prefixes.has(commonPrefix)) prefixes.add(commonPrefix);
    } else {
      items.push(objectResource(store.object(bucket, name), baseUrl));
    }
    lastName = name;
  }
  const body: Record<string, unknown> = { kind: 'storage#objects', items };
  if (prefixes.size > 0) body.prefixes = [...prefixes];
  if (truncated && lastName !== null) body.nextPageToken = Buffer.from(lastName).toString('base64url');
  sendJson(response, 200, body);
}

/** GET /storage/v1/b/:bucket/o/:object (without alt=media) */
export function getObjectMetadata(
  store: ObjectStore,
  bucket: string,
  name: string,
  baseUrl: string,
  response: ServerResponse,
): void {
  sendJson(response, 200, objectResource(store.object(bucket, name), baseUrl));
}

/** DELETE /storage/v1/b/:bucket/o/:object */
export function deleteObject(store: ObjectStore, bucket: string, name: string, response: ServerResponse): void {
  store.deleteObject(bucket, name);
  sendEmpty(response, 204);
}
