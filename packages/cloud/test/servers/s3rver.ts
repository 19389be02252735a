/**
 * Starts a real s3rver (npm `s3rver` 3.7) in-process on 127.0.0.1 with a throwaway directory, for the S3 backend
 * tests. s3rver accepts only the access key id S3RVER (unknown ids get InvalidAccessKeyId, like S3) but does not
 * verify SigV4 signatures, so a wrong secret goes unnoticed.
 *
 * s3rver 3.7 stores multipart uploads but answers ListMultipartUploads with NotImplemented and
 * AbortMultipartUpload with MethodNotAllowed. Two small handlers, in front of its router and working on its own
 * upload directory, fill that gap so the backend's abort-on-failure and incomplete-upload listing run for real.
 */
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** The access key pair s3rver knows (not a secret). */
export const S3RVER_ENV: NodeJS.ProcessEnv = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };

export interface S3rverServer {
  /** http://127.0.0.1:<port> (path-style). */
  endpoint: string;
  port: number;
  bucket: string;
  stop(): Promise<void>;
}

/** The part of Koa's context the two handlers use. */
interface KoaContext {
  method: string;
  path: string;
  query: Record<string, string | string[] | undefined>;
  status: number;
  body: unknown;
  type: string;
}
type KoaMiddleware = (context: KoaContext, next: () => Promise<void>) => Promise<void>;

/** The part of s3rver's (untyped) API used here. */
interface S3rverInstance {
  middleware: KoaMiddleware[];
  store: { getResourcePath(bucket: string, key: string | undefined, resource: string): string };
  httpServer?: Server;
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance;

const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;

export async function startS3rver(bucket = 'dbbackup-test'): Promise<S3rverServer> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'dbbackup-s3rver-'));
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    directory,
    silent: true,
    configureBuckets: [{ name: bucket }],
  });
  // Koa composes `middleware` when it starts listening, so handlers put first here run before s3rver's router.
  server.middleware.unshift(multipartUploadHandlers(server));
  let address: AddressInfo;
  try {
    address = await server.run();
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    port: address.port,
    bucket,
    async stop() {
      server.httpServer?.closeAllConnections();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** GET /bucket?uploads (ListMultipartUploads) and DELETE /bucket/key?uploadId= (AbortMultipartUpload). */
function multipartUploadHandlers(server: S3rverInstance): KoaMiddleware {
  return async (context, next) => {
    // The SDK writes bucket-level requests as /bucket/?uploads, so a trailing '/' does not make a key.
    const [bucket, ...keyParts] = context.path
      .slice(1)
      .split('/')
      .filter((part) => part !== '');
    if (bucket === undefined || bucket === '') return next();
    const uploadsDirectory = server.store.getResourcePath(bucket, undefined, 'uploads');
    if (context.method === 'GET' && keyParts.length === 0 && 'uploads' in context.query) {
      const prefix = typeof context.query.prefix === 'string' ? context.query.prefix : '';
      const uploads = await readUploads(uploadsDirectory);
      const rows = uploads
        .filter((upload) => upload.key.startsWith(prefix))
        .map(
          (upload) =>
            `<Upload><Key>${escapeXml(upload.key)}</Key><UploadId>${upload.uploadId}</UploadId>` +
            `<Initiated>${upload.initiated.toISOString()}</Initiated><StorageClass>STANDARD</StorageClass></Upload>`,
        );
      context.type = 'application/xml';
      context.body =
        '<?xml version="1.0" encoding="UTF-8"?>\n' +
        '<ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
        `<Bucket>${escapeXml(bucket)}</Bucket><Prefix>${escapeXml(prefix)}</Prefix>` +
        `<MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated>${rows.join('')}` +
        '</ListMultipartUploadsResult>';
      return;
    }
    const uploadId = context.query.uploadId;
    if (context.method === 'DELETE' && keyParts.length > 0 && typeof uploadId === 'string') {
      // s3rver names upload directories with hex ids; anything else cannot be one of them.
      const uploadDirectory = /^[0-9a-f]+$/.test(uploadId) ? path.join(uploadsDirectory, uploadId) : undefined;
      if (uploadDirectory === undefined || !(await exists(uploadDirectory))) {
        context.status = 404;
        context.type = 'application/xml';
        context.body =
          '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchUpload</Code>' +
          '<Message>The specified upload does not exist.</Message></Error>';
        return;
      }
      await rm(uploadDirectory, { recursive: true, force: true });
      context.status = 204;
      return;
    }
    return next();
  };
}

async function readUploads(
  uploadsDirectory: string,
): Promise<Array<{ key: string; uploadId: string; initiated: Date }>> {
  const ids = await readdir(uploadsDirectory).catch(() => [] as string[]);
  const uploads = await Promise.all(
    ids.map(async (uploadId) => {
      const directory = path.join(uploadsDirectory, uploadId);
      try {
        const [key, info] = await Promise.all([readFile(path.join(directory, 'key'), 'utf8'), stat(directory)]);
        return { key, uploadId, initiated: info.birthtime };
      } catch {
        // Completed (and removed) while we looked.
        return undefined;
      }
    }),
  );
  return uploads.filter((upload) => upload !== undefined);
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
