import { posix } from 'node:path';
import { StorageError } from '../../errors.js';

/** Marks an upload in progress: `<key>.partial-<hex>`. list() never shows these; put() renames them when complete. */
const PARTIAL_SUFFIX = /\.partial-[0-9a-f]+$/;

export function isPartialUploadName(name: string): boolean {
  return PARTIAL_SUFFIX.test(name);
}

/**
 * The server path of `key` under `root`. Keys are '/'-separated names inside the root; one that could point outside
 * it ('..', a leading '/') is refused instead of being resolved.
 */
export function remotePathOf(root: string, key: string): string {
  const segments = key.split('/');
  if (key === '' || key.startsWith('/') || segments.some((segment) => segment === '..' || segment === '.')) {
    throw new StorageError(
      'sftp',
      'INVALID_KEY',
      `sftp: invalid key '${key}'; use '/'-separated names like 'prod/db.dbb.tar'`,
    );
  }
  return joinRemote(root, key);
}

export function joinRemote(directory: string, name: string): string {
  if (directory === '' || directory === '.') return name;
  return posix.join(directory, name);
}

/** `sftp://user@host:port/root` (relative roots as `/~/root`, curl's spelling for the login directory). */
export function describeSftpLocation(user: string, host: string, port: number, root: string): string {
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const portPart = port === 22 ? '' : `:${port}`;
  const rootPart = root.startsWith('/') ? root : `/~/${root}`;
  return `sftp://${user}@${hostPart}${portPart}${rootPart}`;
}
