import { performance } from 'node:perf_hooks';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import type { ObjectInfo, PutOptions, StorageBackend } from '../storage-backend.js';

/** The part of a logger the wrapper uses (structurally the same as @dbbackup/archive's Logger.debug). */
export interface StorageLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
}

/** Counts the bytes of a get stream and logs once when it ends or fails. */
class CountingStream extends Transform {
  bytes = 0;
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    callback(null, chunk);
  }
}

function errorFields(error: unknown): Record<string, unknown> {
  const { name, code } = error as { name?: unknown; code?: unknown };
  return { error: typeof name === 'string' ? name : 'Error', ...(typeof code === 'string' && { code }) };
}

/**
 * One debug line per call: operation, key, bytes and duration (and the error's name and code on failure). Logs the
 * backend's description, which never holds credentials, and never an error message (SDK messages may quote request
 * headers).
 */
export function withLogging(backend: StorageBackend, logger: StorageLogger): StorageBackend {
  const store = backend.description;

  async function logged<T>(operation: string, key: string, call: () => Promise<T>, fields: (result: T) => object) {
    const started = performance.now();
    try {
      const result = await call();
      logger.debug(`storage ${operation}`, { store, key, ...fields(result), durationMs: elapsed(started) });
      return result;
    } catch (error) {
      logger.debug(`storage ${operation} failed`, { store, key, durationMs: elapsed(started), ...errorFields(error) });
      throw error;
    }
  }

  async function* loggedList(prefix: string): AsyncGenerator<ObjectInfo> {
    const started = performance.now();
    let objects = 0;
    try {
      for await (const info of backend.list(prefix)) {
        objects++;
        yield info;
      }
      logger.debug('storage list', { store, prefix, objects, durationMs: elapsed(started) });
    } catch (error) {
      logger.debug('storage list failed', {
        store,
        prefix,
        objects,
        durationMs: elapsed(started),
        ...errorFields(error),
      });
      throw error;
    }
  }

  return {
    kind: backend.kind,
    description: backend.description,
    capabilities: backend.capabilities,

    put(key: string, body: Readable, options?: PutOptions) {
      return logged(
        'put',
        key,
        () => backend.put(key, body, options),
        (result) => ({ bytes: result.size }),
      );
    },

    async get(key, range) {
      const started = performance.now();
      const source = await logged(
        'get',
        key,
        () => backend.get(key, range),
        () => ({ range: range ?? 'all' }),
      );
      const counter = new CountingStream();
      source.on('error', (error) => counter.destroy(error));
      counter.on('close', () => {
        const outcome = counter.errored ? { ...errorFields(counter.errored) } : {};
        logger.debug('storage get stream closed', {
          store,
          key,
          bytes: counter.bytes,
          durationMs: elapsed(started),
          ...outcome,
        });
        if (!source.destroyed) source.destroy();
      });
      return source.pipe(counter);
    },

    list: (prefix) => loggedList(prefix),
    stat: (key) =>
      logged(
        'stat',
        key,
        () => backend.stat(key),
        (info) => ({ bytes: info.size }),
      ),
    delete: (key) =>
      logged(
        'delete',
        key,
        () => backend.delete(key),
        () => ({}),
      ),
    ...(backend.listIncompleteUploads && {
      listIncompleteUploads: backend.listIncompleteUploads.bind(backend),
    }),
    ...(backend.abortIncompleteUpload && {
      abortIncompleteUpload: (upload) =>
        logged(
          'abort-incomplete-upload',
          upload.key,
          () => backend.abortIncompleteUpload!(upload),
          () => ({}),
        ),
    }),
    close: () => backend.close(),
  };
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}
