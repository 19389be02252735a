import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { link, rename, stat, unlink } from 'node:fs/promises';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CliError } from '../errors/cli-errors.js';

/** Where `dedup restore` writes: a file (via OUT.partial) or stdout. */
export interface RestoreTarget {
  /** The file's absolute path, or '-' for stdout. */
  readonly name: string;
  /**
   * Runs `restore` with the stream the bytes go to (which it ends); `onBytes` gets the running total. A file appears
   * under its name only when `restore` succeeded.
   */
  write(restore: (destination: Writable) => Promise<unknown>, onBytes: (bytes: number) => void): Promise<void>;
}

/** The restored file exists and --force was not given. Exit 2. */
export class RestoreTargetExistsError extends CliError {
  constructor(path: string) {
    super(`${path} already exists: choose another name, or pass --force to replace it`, 2);
  }
}

/**
 * OUT is refused when it exists (unless `force`), and written as OUT.partial, fsynced and renamed when every byte
 * has been checked (the store verifies each chunk and the whole stream's sha256 before the stream ends). Any error
 * or Ctrl-C removes the .partial, so a file under OUT is always a complete restore. Without `force` the rename is a
 * link, so a file that appeared meanwhile is not replaced either.
 */
export async function fileRestoreTarget(path: string, force: boolean): Promise<RestoreTarget> {
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) throw new CliError(`${path} is a directory: give the file to restore into`, 2);
  if (existing && !force) throw new RestoreTargetExistsError(path);
  const partial = `${path}.partial`;
  return {
    name: path,
    async write(restore, onBytes) {
      const file = createWriteStream(partial, { flags: force ? 'w' : 'wx', flush: true });
      try {
        await once(file, 'open');
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new CliError(
          code === 'EEXIST'
            ? `${partial} already exists: another restore may be writing it; remove it if not, or pass --force`
            : `cannot create ${partial} (${code ?? (error as Error).message}): check the directory and its permissions`,
          2,
          { cause: error },
        );
      }
      const counter = byteCounter(onBytes);
      const written = pipeline(counter, file);
      written.catch(() => undefined); // awaited below; a failed restore destroys it first
      try {
        await restore(counter);
        await written;
        if (force) {
          await rename(partial, path);
        } else {
          await link(partial, path).catch((error: NodeJS.ErrnoException) => {
            throw error.code === 'EEXIST' ? new RestoreTargetExistsError(path) : error;
          });
          await unlink(partial);
        }
      } catch (error) {
        counter.destroy();
        await written.catch(() => undefined);
        await unlink(partial).catch(() => undefined);
        throw error;
      }
    },
  };
}

/**
 * stdout, which the restore does not end (it belongs to the process). The bytes go out as they are checked, so a
 * damaged chunk fails the command (exit 2) after the bytes before it were written: whoever reads the pipe must
 * check the exit status, as with any stream.
 */
export function stdoutRestoreTarget(): RestoreTarget {
  return {
    name: '-',
    async write(restore, onBytes) {
      let bytes = 0;
      const destination = new Writable({
        write(chunk: Buffer, _encoding, callback) {
          bytes += chunk.length;
          onBytes(bytes);
          if (process.stdout.write(chunk)) callback();
          else process.stdout.once('drain', () => callback());
        },
      });
      await restore(destination);
    },
  };
}

function byteCounter(onBytes: (bytes: number) => void): Transform {
  let bytes = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      onBytes(bytes);
      callback(null, chunk);
    },
  });
}
