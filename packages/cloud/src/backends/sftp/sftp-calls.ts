/** Promise forms of the ssh2 SFTP client calls the backend uses; errors are ssh2's, mapped by the caller. */
import type { FileEntryWithStats, SFTPWrapper, Stats } from 'ssh2';

function call<T>(start: (done: (error: Error | null | undefined, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    start((error, value) => (error ? reject(error) : resolve(value)));
  });
}

export const statPath = (sftp: SFTPWrapper, path: string) =>
  call<Stats>((done) => sftp.stat(path, (error, stats) => done(error, stats)));
export const fstatHandle = (sftp: SFTPWrapper, handle: Buffer) =>
  call<Stats>((done) => sftp.fstat(handle, (error, stats) => done(error, stats)));
export const openFile = (sftp: SFTPWrapper, path: string, flags: 'r' | 'w') =>
  call<Buffer>((done) => sftp.open(path, flags, (error, handle) => done(error, handle)));
export const closeHandle = (sftp: SFTPWrapper, handle: Buffer) =>
  call<void>((done) => sftp.close(handle, (error) => done(error, undefined)));
export const readDirectory = (sftp: SFTPWrapper, path: string) =>
  call<FileEntryWithStats[]>((done) => sftp.readdir(path, (error, list) => done(error, list)));
export const makeDirectory = (sftp: SFTPWrapper, path: string) =>
  call<void>((done) => sftp.mkdir(path, (error) => done(error, undefined)));
export const unlinkFile = (sftp: SFTPWrapper, path: string) =>
  call<void>((done) => sftp.unlink(path, (error) => done(error, undefined)));
export const renamePath = (sftp: SFTPWrapper, from: string, to: string) =>
  call<void>((done) => sftp.rename(from, to, (error) => done(error, undefined)));

/**
 * Atomically replaces `to` with `from`: the posix-rename@openssh.com extension when the server has it (plain SFTP
 * rename fails when the target exists), else unlink then rename, which leaves a short window without the object.
 */
export async function renameOver(sftp: SFTPWrapper, from: string, to: string): Promise<void> {
  let posixRename: Promise<void> | undefined;
  try {
    posixRename = call<void>((done) => sftp.ext_openssh_rename(from, to, (error) => done(error, undefined)));
  } catch {
    // ssh2 throws synchronously when the server did not announce the extension.
  }
  if (posixRename !== undefined) return posixRename;
  await unlinkFile(sftp, to).catch((error: { code?: number }) => {
    if (error.code !== 2) throw error;
  });
  await renamePath(sftp, from, to);
}

/** mkdir -p: creates `path` and missing parents; an existing directory is fine. */
export async function makeDirectories(sftp: SFTPWrapper, path: string): Promise<void> {
  if (path === '' || path === '.' || path === '/') return;
  try {
    if ((await statPath(sftp, path)).isDirectory()) return;
  } catch (error) {
    if ((error as { code?: number }).code !== 2) throw error;
  }
  const parent = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  await makeDirectories(sftp, parent);
  try {
    await makeDirectory(sftp, path);
  } catch (error) {
    // Another upload may have created it meanwhile (OpenSSH answers FAILURE for EEXIST).
    if (!(await statPath(sftp, path).catch(() => undefined))?.isDirectory()) throw error;
  }
}
