import { createHash, randomBytes } from 'node:crypto';
import { CRC32C } from '@google-cloud/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc32cBase64, type GcsTestServer, startGcsTestServer } from './servers/gcs-test-server/index.js';

const BUCKET = 'server-test';
const KIB_256 = 256 * 1024;

function md5(data: Buffer): string {
  return createHash('md5').update(data).digest('base64');
}

describe('the GCS JSON-API test server', () => {
  let server: GcsTestServer;
  const objectUrl = (name: string) => `${server.endpoint}/storage/v1/b/${BUCKET}/o/${encodeURIComponent(name)}`;
  const uploadUrl = (type: string, name?: string) =>
    `${server.endpoint}/upload/storage/v1/b/${BUCKET}/o?uploadType=${type}${name ? `&name=${encodeURIComponent(name)}` : ''}`;

  beforeAll(async () => {
    server = await startGcsTestServer();
  });
  afterAll(() => server?.close());

  it('computes CRC32C (Castagnoli) like the SDK', () => {
    const check = Buffer.alloc(4);
    check.writeUInt32BE(0xe3069283);
    expect(crc32cBase64(Buffer.from('123456789'))).toBe(check.toString('base64'));
    const data = randomBytes(100_003);
    const sdk = new CRC32C();
    sdk.update(data);
    expect(crc32cBase64(data)).toBe(sdk.toString());
  });

  it('creates and lists buckets', async () => {
    const created = await fetch(`${server.endpoint}/storage/v1/b?project=test`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: BUCKET }),
    });
    expect(created.status).toBe(200);
    const again = await fetch(`${server.endpoint}/storage/v1/b?project=test`, {
      method: 'POST',
      body: JSON.stringify({ name: BUCKET }),
    });
    expect(again.status).toBe(409);
    const list = (await (await fetch(`${server.endpoint}/storage/v1/b?project=test`)).json()) as {
      items: { name: string }[];
    };
    expect(list.items.map((bucket) => bucket.name)).toEqual([BUCKET]);
  });

  it('stores a media upload and serves it with matching x-goog-hash, metadata and ranges', async () => {
    const data = randomBytes(10_000);
    const uploaded = await fetch(uploadUrl('media', 'a/media.bin'), { method: 'POST', body: data });
    const resource = (await uploaded.json()) as Record<string, string>;
    expect(resource).toMatchObject({
      name: 'a/media.bin',
      size: '10000',
      crc32c: crc32cBase64(data),
      md5Hash: md5(data),
    });

    const metadata = (await (await fetch(objectUrl('a/media.bin'))).json()) as Record<string, string>;
    expect(metadata).toMatchObject({ crc32c: crc32cBase64(data), md5Hash: md5(data), generation: resource.generation });
    expect(Number.isNaN(Date.parse(metadata.updated ?? ''))).toBe(false);

    for (const path of [
      `${objectUrl('a/media.bin')}?alt=media`,
      `${server.endpoint}/download/storage/v1/b/${BUCKET}/o/a%2Fmedia.bin?alt=media`,
    ]) {
      const whole = await fetch(path);
      expect(whole.status).toBe(200);
      expect(whole.headers.get('x-goog-hash')).toBe(`crc32c=${crc32cBase64(data)},md5=${md5(data)}`);
      expect(Buffer.from(await whole.arrayBuffer()).equals(data)).toBe(true);
    }
    const ranged = await fetch(`${objectUrl('a/media.bin')}?alt=media`, { headers: { range: 'bytes=100-199' } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-range')).toBe('bytes 100-199/10000');
    expect(Buffer.from(await ranged.arrayBuffer()).equals(data.subarray(100, 200))).toBe(true);
    const suffix = await fetch(`${objectUrl('a/media.bin')}?alt=media`, { headers: { range: 'bytes=-5' } });
    expect(Buffer.from(await suffix.arrayBuffer()).equals(data.subarray(-5))).toBe(true);
    const past = await fetch(`${objectUrl('a/media.bin')}?alt=media`, { headers: { range: 'bytes=10000-' } });
    expect(past.status).toBe(416);
  });

  it('accepts a multipart upload and rejects one whose md5 does not match', async () => {
    const data = randomBytes(2048);
    const multipart = (metadata: object) =>
      Buffer.concat([
        Buffer.from(
          `--XYZ\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(metadata)}\r\n--XYZ\r\nContent-Type: application/octet-stream\r\n\r\n`,
        ),
        data,
        Buffer.from('\r\n--XYZ--\r\n'),
      ]);
    const headers = { 'content-type': 'multipart/related; boundary=XYZ' };
    const good = await fetch(uploadUrl('multipart'), {
      method: 'POST',
      headers,
      body: multipart({ name: 'a/multi.bin', md5Hash: md5(data) }),
    });
    expect(good.status).toBe(200);
    expect(server.store.object(BUCKET, 'a/multi.bin').data.equals(data)).toBe(true);
    const bad = await fetch(uploadUrl('multipart'), {
      method: 'POST',
      headers,
      body: multipart({ name: 'a/bad.bin', md5Hash: md5(Buffer.from('other')) }),
    });
    expect(bad.status).toBe(400);
  });

  it('runs a resumable session: 308 with Range, 256 KiB granularity, status query, checksum on the final chunk', async () => {
    const data = randomBytes(2 * KIB_256 + 500);
    const started = await fetch(uploadUrl('resumable', 'a/resumable.bin'), { method: 'POST', body: '{}' });
    const session = started.headers.get('location') ?? '';
    expect(session).toContain('upload_id=');

    const first = await fetch(session, {
      method: 'PUT',
      headers: { 'content-range': `bytes 0-${KIB_256 - 1}/*` },
      body: data.subarray(0, KIB_256),
    });
    expect(first.status).toBe(308);
    expect(first.headers.get('range')).toBe(`bytes=0-${KIB_256 - 1}`);

    const ragged = await fetch(session, {
      method: 'PUT',
      headers: { 'content-range': `bytes ${KIB_256}-${KIB_256 + 99}/*` },
      body: data.subarray(KIB_256, KIB_256 + 100),
    });
    expect(ragged.status).toBe(400);

    const status = await fetch(session, { method: 'PUT', headers: { 'content-range': 'bytes */*' } });
    expect(status.status).toBe(308);
    expect(status.headers.get('range')).toBe(`bytes=0-${KIB_256 - 1}`);

    const last = `bytes ${KIB_256}-${data.length - 1}/${data.length}`;
    const wrongHash = await fetch(session, {
      method: 'PUT',
      headers: { 'content-range': last, 'x-goog-hash': `crc32c=${crc32cBase64(Buffer.from('nope'))}` },
      body: data.subarray(KIB_256),
    });
    expect(wrongHash.status).toBe(400);
    expect(() => server.store.object(BUCKET, 'a/resumable.bin')).toThrow();

    const finished = await fetch(session, {
      method: 'PUT',
      headers: { 'content-range': last, 'x-goog-hash': `crc32c=${crc32cBase64(data)},md5=${md5(data)}` },
      body: data.subarray(KIB_256),
    });
    expect(finished.status).toBe(200);
    expect(((await finished.json()) as { size: string }).size).toBe(String(data.length));
    expect(server.store.object(BUCKET, 'a/resumable.bin').data.equals(data)).toBe(true);
  });

  it('lists by prefix in pages and deletes', async () => {
    for (const name of ['p/1', 'p/2', 'p/3', 'q/1']) {
      await fetch(uploadUrl('media', name), { method: 'POST', body: name });
    }
    const names: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const query = new URLSearchParams({ prefix: 'p/', maxResults: '2', ...(pageToken ? { pageToken } : {}) });
      const page = (await (await fetch(`${server.endpoint}/storage/v1/b/${BUCKET}/o?${query}`)).json()) as {
        items: { name: string }[];
        nextPageToken?: string;
      };
      names.push(...page.items.map((item) => item.name));
      pageToken = page.nextPageToken;
      pages++;
    } while (pageToken);
    expect(names).toEqual(['p/1', 'p/2', 'p/3']);
    expect(pages).toBe(2);

    expect((await fetch(objectUrl('p/1'), { method: 'DELETE' })).status).toBe(204);
    expect((await fetch(objectUrl('p/1'), { method: 'DELETE' })).status).toBe(404);
    expect((await fetch(objectUrl('p/1'))).status).toBe(404);
  });

  it('fails the next requests on demand', async () => {
    server.failNextRequests(2, 503);
    expect((await fetch(objectUrl('q/1'))).status).toBe(503);
    expect((await fetch(objectUrl('q/1'))).status).toBe(503);
    expect((await fetch(objectUrl('q/1'))).status).toBe(200);
  });
});
