import type { SFTPWrapper, Stats } from 'ssh2';
import type { ObjectInfo } from '../../storage-backend.js';
import { readDirectory, statPath } from './sftp-calls.js';
import { isPartialUploadName, joinRemote } from './sftp-paths.js';

/**
 * Every regular file under `root` whose key starts with `prefix`, walking only the directories that can hold such
 * keys. Partial uploads are skipped; symbolic links count as objects when they point at a file (linked directories
 * are not followed, which rules out loops).
 */
export async function* listFiles(sftp: SFTPWrapper, root: string, prefix: string): AsyncGenerator<ObjectInfo> {
  const startDirectory = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
  yield* walk(sftp, root, startDirectory, prefix);
}

async function* walk(sftp: SFTPWrapper, root: string, directory: string, prefix: string): AsyncGenerator<ObjectInfo> {
  let entries: Awaited<ReturnType<typeof readDirectory>>;
  try {
    entries = await readDirectory(sftp, directory === '' ? root : joinRemote(root, directory));
  } catch (error) {
    if ((error as { code?: number }).code === 2) return; // no such directory: nothing stored under it
    throw error;
  }
  for (const entry of entries) {
    if (entry.filename === '.' || entry.filename === '..' || isPartialUploadName(entry.filename)) continue;
    const key = directory === '' ? entry.filename : `${directory}/${entry.filename}`;
    let attributes: Stats = entry.attrs;
    if (attributes.isSymbolicLink()) {
      const target = await statPath(sftp, joinRemote(root, key)).catch(() => undefined);
      if (target === undefined || !target.isFile()) continue;
      attributes = target;
    }
    if (attributes.isDirectory()) {
      const keyAsDirectory = `${key}/`;
      if (keyAsDirectory.startsWith(prefix) || prefix.startsWith(keyAsDirectory)) {
        yield* walk(sftp, root, key, prefix);
      }
    } else if (attributes.isFile() && key.startsWith(prefix)) {
      yield objectInfo(key, attributes);
    }
  }
}

export function objectInfo(key: string, attributes: Stats): ObjectInfo {
  return { key, size: attributes.size, modifiedAt: new Date(attributes.mtime * 1000) };
}
