import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import { type Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { SFTPWrapper } from 'ssh2';
import type { PutOptions } from '../../storage-backend.js';
import { makeDirectories, renameOver, unlinkFile } from './sftp-calls.js';

/**
 * How much ssh2's write stream may buffer. While one batch of WRITEs waits for its replies, later chunks collect here
 * and go out together through _writev as parallel requests, instead of one request per round trip. Measured against
 * local OpenSSH: 512 KiB batches of 64 KiB slices ~30 MiB/s; 4 MiB+ batches get slower again (4-15 MiB/s).
 */
const WRITE_BUFFER_BYTES = 512 * 1024;

/**
 * Largest chunk handed to ssh2. It splits a bigger chunk into packet-sized WRITEs sent one after another, each
 * waiting for its reply; slices that fit one OpenSSH packet (256 KiB) go out at once within a _writev batch.
 */
const WRITE_REQUEST_BYTES = 64 * 1024;

/**
 * Streams `body` to `<path>.partial-<random>`, then renames it over `path`, so readers never see a half-written
 * object. On any failure the partial file is removed (best effort: a dropped connection can leave it, and list()
 * hides such names). Returns the number of bytes written.
 */
export async function putFile(sftp: SFTPWrapper, path: string, body: Readable, options: PutOptions): Promise<number> {
  await makeDirectories(sftp, posix.dirname(path));
  const partialPath = `${path}.partial-${randomBytes(8).toString('hex')}`;
  let size = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      options.onProgress?.(size);
      for (let offset = 0; offset < chunk.length; offset += WRITE_REQUEST_BYTES) {
        this.push(chunk.subarray(offset, offset + WRITE_REQUEST_BYTES));
      }
      done();
    },
  });
  // autoClose off: ssh2 would otherwise destroy the stream inside _final, before 'finish'. The handle is closed below.
  const target = sftp.createWriteStream(partialPath, { highWaterMark: WRITE_BUFFER_BYTES, autoClose: false });
  // pipeline reports errors while it runs; a late one (closing the handle as the connection goes) has no reader.
  target.on('error', ignoreLateError);
  try {
    await pipeline(body, counter, target, options.signal ? { signal: options.signal } : {});
    await closeWriteStream(target);
    await renameOver(sftp, partialPath, path);
    return size;
  } catch (error) {
    target.destroy();
    await unlinkFile(sftp, partialPath).catch(() => {});
    throw error;
  }
}

/** Closes the remote handle (destroy sends CLOSE) and waits for the server's answer. */
function closeWriteStream(target: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    target.once('close', () => resolve());
    target.once('error', reject);
    target.destroy();
  });
}

function ignoreLateError(): void {}
