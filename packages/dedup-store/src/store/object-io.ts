import { Readable } from 'node:stream';
import { type ByteRange, createReplayableBody, type ObjectInfo, type StorageBackend } from '@dbbackup/cloud';

/** Reads an object (or a range of it) into one buffer. */
export async function readObject(backend: StorageBackend, key: string, range?: ByteRange): Promise<Buffer> {
  const stream = await backend.get(key, range);
  const pieces: Buffer[] = [];
  let length = 0;
  for await (const piece of stream) {
    const bytes = typeof piece === 'string' ? Buffer.from(piece) : (piece as Buffer);
    pieces.push(bytes);
    length += bytes.length;
  }
  return pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces, length);
}

/**
 * Writes buffers as one object. The body is replayable, so a retry wrapper (withRetry) can repeat a failed put: every
 * object this package writes is small enough to keep in memory (a pack is ~16 MiB) and content-addressed or owned by
 * this process, so repeating a put is harmless.
 */
export async function putBuffers(
  backend: StorageBackend,
  key: string,
  buffers: readonly Buffer[],
  signal?: AbortSignal,
): Promise<number> {
  let size = 0;
  for (const buffer of buffers) size += buffer.length;
  const body = createReplayableBody(() => Readable.from(buffers, { objectMode: false }));
  await backend.put(key, body, { contentLength: size, ...(signal && { signal }) });
  return size;
}

/** Every object below `prefix`, collected (listings here are of ids, far smaller than the data). */
export async function listObjects(backend: StorageBackend, prefix: string): Promise<ObjectInfo[]> {
  const objects: ObjectInfo[] = [];
  for await (const info of backend.list(prefix)) objects.push(info);
  return objects;
}
