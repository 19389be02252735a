import { createHash, randomUUID } from 'node:crypto';
import { crc32cBase64 } from './crc32c.js';
import { HttpError } from './http-helpers.js';

export interface StoredObject {
  bucket: string;
  name: string;
  data: Buffer;
  contentType: string;
  generation: number;
  crc32c: string;
  md5Hash: string;
  created: Date;
  updated: Date;
}

export interface StoredBucket {
  name: string;
  created: Date;
  objects: Map<string, StoredObject>;
}

/** In-memory buckets and objects; generations increase across the whole server, as in GCS. */
export class ObjectStore {
  readonly buckets = new Map<string, StoredBucket>();
  #nextGeneration = Date.now() * 1000;

  createBucket(name: string): StoredBucket {
    if (this.buckets.has(name)) throw new HttpError(409, `bucket ${name} already exists`, 'conflict');
    const bucket: StoredBucket = { name, created: new Date(), objects: new Map() };
    this.buckets.set(name, bucket);
    return bucket;
  }

  bucket(name: string): StoredBucket {
    const bucket = this.buckets.get(name);
    if (!bucket) throw new HttpError(404, `The specified bucket does not exist: ${name}`, 'notFound');
    return bucket;
  }

  deleteBucket(name: string): void {
    const bucket = this.bucket(name);
    if (bucket.objects.size > 0) throw new HttpError(409, `bucket ${name} is not empty`, 'conflict');
    this.buckets.delete(name);
  }

  object(bucketName: string, name: string): StoredObject {
    const object = this.bucket(bucketName).objects.get(name);
    if (!object) throw new HttpError(404, `No such object: ${bucketName}/${name}`, 'notFound');
    return object;
  }

  /** Replaces the object atomically; the caller has already checked any hash the client sent. */
  putObject(bucketName: string, name: string, data: Buffer, contentType: string): StoredObject {
    const bucket = this.bucket(bucketName);
    const now = new Date();
    const object: StoredObject = {
      bucket: bucketName,
      name,
      data,
      contentType,
      generation: this.#nextGeneration++,
      crc32c: crc32cBase64(data),
      md5Hash: createHash('md5').update(data).digest('base64'),
      created: now,
      updated: now,
    };
    bucket.objects.set(name, object);
    return object;
  }

  deleteObject(bucketName: string, name: string): void {
    this.object(bucketName, name);
    this.bucket(bucketName).objects.delete(name);
  }
}

export function bucketResource(bucket: StoredBucket): Record<string, unknown> {
  return {
    kind: 'storage#bucket',
    id: bucket.name,
    name: bucket.name,
    location: 'US',
    storageClass: 'STANDARD',
    metageneration: '1',
    etag: 'CAE=',
    timeCreated: bucket.created.toISOString(),
    updated: bucket.created.toISOString(),
  };
}

export function objectResource(object: StoredObject, baseUrl: string): Record<string, unknown> {
  const encodedName = encodeURIComponent(object.name);
  return {
    kind: 'storage#object',
    id: `${object.bucket}/${object.name}/${object.generation}`,
    selfLink: `${baseUrl}/storage/v1/b/${object.bucket}/o/${encodedName}`,
    mediaLink: `${baseUrl}/download/storage/v1/b/${object.bucket}/o/${encodedName}?generation=${object.generation}&alt=media`,
    name: object.name,
    bucket: object.bucket,
    generation: String(object.generation),
    metageneration: '1',
    contentType: object.contentType,
    storageClass: 'STANDARD',
    size: String(object.data.length),
    md5Hash: object.md5Hash,
    crc32c: object.crc32c,
    etag: Buffer.from(String(object.generation)).toString('base64'),
    timeCreated: object.created.toISOString(),
    updated: object.updated.toISOString(),
  };
}

/** Resumable upload sessions, keyed by upload_id; bytes are kept until the final chunk arrives. */
export interface ResumableSession {
  id: string;
  bucket: string;
  name: string;
  contentType: string;
  /** From X-Upload-Content-Length or the first Content-Range with a known total. */
  totalSize: number | null;
  chunks: Buffer[];
  received: number;
  finished: StoredObject | null;
}

export function newSession(
  bucket: string,
  name: string,
  contentType: string,
  totalSize: number | null,
): ResumableSession {
  return { id: randomUUID(), bucket, name, contentType, totalSize, chunks: [], received: 0, finished: null };
}
