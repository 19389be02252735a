/**
 * The one interface every place that keeps backups implements (local filesystem, S3, Azure Blob, GCS, SFTP). A
 * backend is rooted at its bucket / container / directory: keys are object names inside it ('prod/shop-….dbb.tar'),
 * '/'-separated, never starting with '/'. Retry, throttling and logging wrap a backend (see wrappers/), they are
 * never code inside one. Credentials come from each SDK's standard environment and files, never from arguments
 * that could reach a log.
 */
import type { Readable } from 'node:stream';

export type BackendKind = 'local' | 's3' | 'azure' | 'gcs' | 'sftp';

export interface ObjectInfo {
  /** Full key inside the backend's root. */
  key: string;
  size: number;
  modifiedAt: Date;
  /** The store's entity tag or generation, when it has one (changes when the object is replaced). */
  etag?: string;
}

export interface StorageCapabilities {
  /** get() with a range reads only those bytes (parallel restore reads members directly). */
  rangedReads: boolean;
  /** put() uploads in parts, so a retryable failure repeats one part, not the whole object. */
  multipartUpload: boolean;
  /** Incomplete multipart uploads can be listed and aborted (listIncompleteUploads / abortIncompleteUpload). */
  incompleteUploads: boolean;
  /** The store verifies what it received against a checksum the backend sends (md5, crc32c, sha256). */
  serverSideChecksum: boolean;
}

export interface ByteRange {
  /** First byte. */
  offset: number;
  /** Number of bytes; the read ends early only at the end of the object. */
  length: number;
}

export interface PutOptions {
  /** Known size, when the caller has it (lets some stores skip multipart for small objects). */
  contentLength?: number;
  contentType?: string;
  /** Aborting stops the upload and removes what it left (an incomplete multipart upload is aborted). */
  signal?: AbortSignal;
  /** Bytes acknowledged so far, for progress. */
  onProgress?: (bytesUploaded: number) => void;
}

export interface PutResult {
  key: string;
  size: number;
  etag?: string;
}

export interface IncompleteUpload {
  key: string;
  uploadId: string;
  startedAt: Date | null;
}

export interface StorageBackend {
  readonly kind: BackendKind;
  /** Where it points, as a URI without credentials: 's3://bucket', 'sftp://backup@host:2222/srv/backups'. */
  readonly description: string;
  readonly capabilities: StorageCapabilities;
  /**
   * Streams `body` into `key`, replacing an object of that name only once the upload completed: a failed or
   * aborted put leaves no object and no incomplete multipart upload behind (it is aborted before the promise rejects).
   */
  put(key: string, body: Readable, options?: PutOptions): Promise<PutResult>;
  /** The object's bytes (or the range of them). NotFoundError when there is no such key. */
  get(key: string, range?: ByteRange): Promise<Readable>;
  /** Every object whose key starts with `prefix` (recursively), in no particular order. */
  list(prefix: string): AsyncIterable<ObjectInfo>;
  /** NotFoundError when there is no such key. */
  stat(key: string): Promise<ObjectInfo>;
  /** Removes the object; NotFoundError when there is no such key. */
  delete(key: string): Promise<void>;
  /** Only when capabilities.incompleteUploads. */
  listIncompleteUploads?(prefix: string): AsyncIterable<IncompleteUpload>;
  abortIncompleteUpload?(upload: IncompleteUpload): Promise<void>;
  /** Closes connections (SFTP sessions, HTTP agents). */
  close(): Promise<void>;
}
