import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { TextfileWriteError } from '../errors.js';

/** node_exporter reads every *.prom file of its textfile directory; the collector needs it world-readable. */
const TEXTFILE_MODE = 0o644;

/**
 * Writes `text` to `path` for node_exporter's textfile collector so that a reader never sees half a file: the text
 * goes to a temporary file in the same directory (named `.<name>.<random>.tmp`, which the collector ignores: it
 * reads only *.prom), is fsync'ed, made mode 0644 and renamed over `path` (atomic on one filesystem); the directory
 * is then fsync'ed so the rename survives a crash. On any failure the temporary file is removed, the previous file
 * is left as it was, and a TextfileWriteError names the path.
 */
export async function writeTextfile(path: string, text: string): Promise<void> {
  const target = resolve(path);
  const directory = dirname(target);
  const temporary = join(directory, `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temporary, 'wx', TEXTFILE_MODE);
    try {
      await handle.writeFile(text, 'utf8');
      // The mode given to open() is reduced by the umask; the collector must be able to read the file.
      await handle.chmod(TEXTFILE_MODE);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw new TextfileWriteError(target, describe(error), { cause: error });
  }
  await syncDirectory(directory);
}

/** Makes the rename durable; a filesystem that cannot fsync a directory still has the file, so failures are ignored. */
async function syncDirectory(directory: string): Promise<void> {
  try {
    const handle = await open(directory, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Not every filesystem supports fsync on a directory (EINVAL); the file itself is already complete.
  }
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ENOENT') return 'its directory does not exist';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return message;
}
