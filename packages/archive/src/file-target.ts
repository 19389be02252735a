/**
 * A local backup file written safely: bytes go to `<path>.partial`, which is fsynced, closed and renamed to `<path>`
 * only after the manifest is on disk. An existing backup is never overwritten.
 */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { access, open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ArchiveExistsError } from './errors.js';

const WRITE_STREAM_HIGH_WATER_MARK = 1024 * 1024;

export function partialPathFor(path: string): string {
  return `${path}.partial`;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

async function refuseExisting(path: string): Promise<void> {
  if (await exists(path)) {
    throw new ArchiveExistsError(
      path,
      `backup ${path} already exists; choose another name (backups are never overwritten)`,
    );
  }
}

/** Opens `<path>.partial` for writing (exclusive create). Resolves once the file exists on disk. */
export async function openPartialFile(path: string): Promise<WriteStream> {
  await refuseExisting(path);
  const partialPath = partialPathFor(path);
  // flush: fsync before the descriptor is closed, so the rename below never publishes unwritten data.
  const stream = createWriteStream(partialPath, {
    flags: 'wx',
    highWaterMark: WRITE_STREAM_HIGH_WATER_MARK,
    flush: true,
  });
  try {
    await once(stream, 'open');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new ArchiveExistsError(
        partialPath,
        `${partialPath} already exists: another backup to ${path} is running or an earlier one was interrupted; delete it or choose another name`,
      );
    }
    throw error;
  }
  return stream;
}

/** After the stream has finished and closed (fsynced): publish the backup under its final name. */
export async function publishPartialFile(path: string): Promise<void> {
  await refuseExisting(path);
  await rename(partialPathFor(path), path);
  await syncDirectory(dirname(path));
}

/** Destroys the stream, waits for its descriptor to close and deletes the partial file. */
export async function discardPartialFile(path: string, stream: WriteStream): Promise<void> {
  if (!stream.closed) {
    const closed = once(stream, 'close').catch(() => undefined);
    stream.destroy();
    await closed;
  }
  await unlink(partialPathFor(path)).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}

/** Makes the rename durable. Not every platform can fsync a directory; there the rename is as durable as it gets. */
async function syncDirectory(directory: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(directory, 'r');
    await handle.sync();
  } catch {
    // EISDIR/EPERM/EINVAL on platforms without directory fsync: nothing more can be done.
  } finally {
    await handle?.close();
  }
}
