import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { access, rename, stat, unlink } from 'node:fs/promises';
import type { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type CompressionOptions, createCompressStream, Sha256Stream } from '@dbbackup/pipeline';
import { CliError } from '../errors/cli-errors.js';
import type { AbortableOutput } from './abort-on-signal.js';

export interface WrittenFile {
  path: string;
  /** Bytes on disk (compressed). */
  bytes: number;
  /** sha256 of the file as written, so `sha256sum` on it gives the same value. */
  sha256: string;
}

/**
 * A SQL script file being written: the engine writes plain SQL into `sink`, which is the pipeline's compressor
 * (parallel zstd/gzip blocks that `zstd -dc` / `gunzip -c` read as one stream; `none` passes through), then a
 * sha256 tap, then `<path>.partial` (exclusive create, fsynced on close). complete() renames it to `path` once the
 * engine has ended the script; abort() (any error, Ctrl-C) destroys the pipeline and deletes the .partial, so a
 * file under the final name is always a complete script.
 */
export class SqlScriptFile implements AbortableOutput {
  readonly sink: Writable;
  readonly #path: string;
  readonly #partialPath: string;
  readonly #hash = new Sha256Stream();
  readonly #written: Promise<void>;
  #settled = false;

  private constructor(path: string, sink: Transform, file: WriteStream) {
    this.#path = path;
    this.#partialPath = `${path}.partial`;
    this.sink = sink;
    this.#written = pipeline(sink, this.#hash, file);
    // Observed by complete()/abort(); without this an early failure would be an unhandled rejection.
    this.#written.catch(() => undefined);
  }

  /** Starts `<path>.partial`; refuses when `path` exists (backups are never overwritten). */
  static async create(path: string, compression: CompressionOptions): Promise<SqlScriptFile> {
    await refuseExisting(path);
    // First: an impossible compression level must fail before a file exists.
    const compressor = createCompressStream(compression);
    const partialPath = `${path}.partial`;
    const file = createWriteStream(partialPath, { flags: 'wx', flush: true });
    try {
      await once(file, 'open');
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'EEXIST' ? 'already exists' : 'cannot be created';
      throw new CliError(
        `${partialPath} ${reason} (${(error as Error).message}); another backup may be running, or remove the file`,
        2,
        { cause: error },
      );
    }
    return new SqlScriptFile(path, compressor, file);
  }

  /** After the engine ended the sink: waits for the file to be on disk, then publishes it under its final name. */
  async complete(): Promise<WrittenFile> {
    await this.#written;
    await refuseExisting(this.#path);
    await rename(this.#partialPath, this.#path);
    this.#settled = true;
    const { size } = await stat(this.#path);
    return { path: this.#path, bytes: size, sha256: this.#hash.digest() };
  }

  async abort(error: Error): Promise<void> {
    if (this.#settled) return;
    this.#settled = true;
    if (!this.sink.destroyed) this.sink.destroy(error);
    await this.#written.catch(() => undefined);
    await unlink(this.#partialPath).catch((failure: NodeJS.ErrnoException) => {
      if (failure.code !== 'ENOENT') throw failure;
    });
  }
}

async function refuseExisting(path: string): Promise<void> {
  const exists = await access(path).then(
    () => true,
    () => false,
  );
  if (exists) throw new CliError(`${path} already exists; backups are never overwritten, run the backup again`, 2);
}
