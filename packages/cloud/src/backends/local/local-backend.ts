import { randomBytes } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { type FileHandle, mkdir, open, opendir, rename, rmdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { NotFoundError } from '../../errors.js';
import type { ByteRange, ObjectInfo, PutOptions, PutResult, StorageBackend } from '../../storage-backend.js';
import { toLocalStorageError } from './local-errors.js';
import { keyToPath, PARTIAL_FILE_PATTERN, prefixDirectory } from './local-paths.js';

export interface LocalBackendOptions {
  /** The directory keys live in; created on the first put. */
  root: string;
}

function infoOf(key: string, stats: { size: number; mtime: Date; ino: number; mtimeMs: number }): ObjectInfo {
  return {
    key,
    size: stats.size,
    modifiedAt: stats.mtime,
    etag: `${stats.ino.toString(16)}-${Math.round(stats.mtimeMs)}`,
  };
}

/** fsyncs a directory so a rename in it survives a crash (best effort: some filesystems refuse directory fsync). */
async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync().catch(() => undefined);
  } finally {
    await handle.close();
  }
}

/** Creates the file's directory and opens it; once more if a concurrent delete pruned the directory in between. */
async function openPartialFile(partial: string): Promise<FileHandle> {
  for (let attempt = 1; ; attempt++) {
    await mkdir(path.dirname(partial), { recursive: true });
    try {
      return await open(partial, 'wx');
    } catch (error) {
      if (attempt >= 3 || (error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

/**
 * A directory on the local filesystem (or a mounted NFS/SMB share) as a StorageBackend. A put writes
 * `<key>.partial-<random>`, fsyncs it and renames it into place, so readers see the old object or the complete new
 * one, and a failed put leaves nothing.
 */
export function createLocalBackend(options: LocalBackendOptions): StorageBackend {
  const root = path.resolve(options.root);

  async function writeFile(target: string, body: Readable, putOptions?: PutOptions): Promise<number> {
    const partial = `${target}.partial-${randomBytes(6).toString('hex')}`;
    const handle = await openPartialFile(partial);
    let size = 0;
    try {
      for await (const chunk of body) {
        putOptions?.signal?.throwIfAborted();
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
        let written = 0;
        while (written < bytes.length) {
          written += (await handle.write(bytes, written, bytes.length - written)).bytesWritten;
        }
        size += bytes.length;
        putOptions?.onProgress?.(size);
      }
      putOptions?.signal?.throwIfAborted();
      await handle.sync();
      await handle.close();
      await rename(partial, target);
    } catch (error) {
      body.destroy();
      await handle.close().catch(() => undefined);
      await unlink(partial).catch(() => undefined);
      throw error;
    }
    await syncDirectory(path.dirname(target));
    return size;
  }

  /** Removes directories emptied by a delete, up to (not including) the root, so listings stay cheap. */
  async function pruneEmptyDirectories(directory: string): Promise<void> {
    let current = directory;
    while (current.startsWith(`${root}${path.sep}`)) {
      try {
        await rmdir(current);
      } catch {
        return; // not empty (or already gone): stop
      }
      current = path.dirname(current);
    }
  }

  async function* walk(directory: string, keyPrefix: string, prefix: string): AsyncGenerator<ObjectInfo> {
    let entries: AsyncIterable<Dirent>;
    try {
      entries = await opendir(directory);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return;
      throw toLocalStorageError(error, keyPrefix, root);
    }
    for await (const entry of entries) {
      const key = `${keyPrefix}${entry.name}`;
      if (entry.isDirectory()) {
        // Only descend where keys can still start with the prefix.
        const folder = `${key}/`;
        if (folder.startsWith(prefix) || prefix.startsWith(folder)) {
          yield* walk(path.join(directory, entry.name), folder, prefix);
        }
      } else if (entry.isFile() && key.startsWith(prefix) && !PARTIAL_FILE_PATTERN.test(entry.name)) {
        try {
          yield infoOf(key, await stat(path.join(directory, entry.name)));
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw toLocalStorageError(error, key, root);
        }
      }
    }
  }

  return {
    kind: 'local',
    description: `file://${root}`,
    capabilities: { rangedReads: true, multipartUpload: false, incompleteUploads: false, serverSideChecksum: false },

    async put(key: string, body: Readable, putOptions?: PutOptions): Promise<PutResult> {
      const target = keyToPath(root, key);
      try {
        const size = await writeFile(target, body, putOptions);
        const stats = await stat(target);
        return { key, size, etag: infoOf(key, stats).etag };
      } catch (error) {
        if ((error as Error).name === 'AbortError') throw error;
        throw toLocalStorageError(error, key, root);
      }
    },

    async get(key: string, range?: ByteRange): Promise<Readable> {
      const file = keyToPath(root, key);
      try {
        const handle = await open(file, 'r');
        const stats = await handle.stat();
        if (!stats.isFile()) {
          await handle.close();
          throw new NotFoundError('local', key);
        }
        if (range && range.length <= 0) {
          await handle.close();
          return Readable.from([], { objectMode: false });
        }
        return handle.createReadStream({
          start: range?.offset ?? 0,
          ...(range && { end: range.offset + range.length - 1 }),
          autoClose: true,
        });
      } catch (error) {
        throw toLocalStorageError(error, key, root);
      }
    },

    list(prefix: string): AsyncIterable<ObjectInfo> {
      const directory = prefixDirectory(prefix);
      const keyPrefix = directory === '' ? '' : `${directory}/`;
      return walk(directory === '' ? root : path.join(root, ...directory.split('/')), keyPrefix, prefix);
    },

    async stat(key: string): Promise<ObjectInfo> {
      const file = keyToPath(root, key);
      try {
        const stats = await stat(file);
        if (!stats.isFile()) throw new NotFoundError('local', key);
        return infoOf(key, stats);
      } catch (error) {
        throw toLocalStorageError(error, key, root);
      }
    },

    async delete(key: string): Promise<void> {
      const file = keyToPath(root, key);
      try {
        await unlink(file);
      } catch (error) {
        throw toLocalStorageError(error, key, root);
      }
      await pruneEmptyDirectories(path.dirname(file));
    },

    async close(): Promise<void> {},
  };
}
