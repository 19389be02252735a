import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { NotFoundError } from '../errors.js';
import type { ObjectInfo, PutOptions, StorageBackend } from '../storage-backend.js';
import { backoffDelayMs } from './backoff-delay.js';
import { isRetryableError } from './is-retryable-error.js';
import { reopenerOf } from './replayable-body.js';

export interface RetryEvent {
  operation: 'put' | 'get' | 'list' | 'stat' | 'delete';
  key: string;
  /** The attempt that failed (1 = the first call). */
  attempt: number;
  /** How long the wrapper waits before the next attempt. */
  delayMs: number;
  error: unknown;
}

export interface RetryOptions {
  /** Total attempts, the first included (default 5). */
  attempts?: number;
  /** Wait before the first retry; doubles per retry, with jitter (default 200 ms). */
  baseDelayMs?: number;
  /** Upper bound of one wait (default 5000 ms). */
  maxDelayMs?: number;
  onRetry?: (event: RetryEvent) => void;
}

/**
 * Repeats get, stat, list and delete when they fail with a retryable error (see isRetryableError), with
 * exponential backoff and jitter. put is repeated as a whole only when its body is replayable (createReplayableBody):
 * a plain stream has been consumed by the failed attempt. That is rarely a loss: the S3, Azure and GCS backends
 * upload in parts and their SDKs retry a failed part themselves, so a connection reset mid-upload repeats one part,
 * not the backup. A get is retried while opening; a stream that breaks after bytes were delivered is the
 * caller's to reopen with a range (openStorageSource does so per read).
 */
export function withRetry(backend: StorageBackend, options: RetryOptions = {}): StorageBackend {
  const attempts = Math.max(1, options.attempts ?? 5);
  const baseDelayMs = options.baseDelayMs ?? 200;
  const maxDelayMs = options.maxDelayMs ?? 5000;

  async function retrying<T>(
    operation: RetryEvent['operation'],
    key: string,
    call: (attempt: number) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call(attempt);
      } catch (error) {
        if (attempt >= attempts || !isRetryableError(error) || signal?.aborted) throw error;
        const delayMs = backoffDelayMs(attempt, baseDelayMs, maxDelayMs);
        options.onRetry?.({ operation, key, attempt, delayMs, error });
        await sleep(delayMs, undefined, signal ? { signal } : undefined);
      }
    }
  }

  return {
    kind: backend.kind,
    description: backend.description,
    capabilities: backend.capabilities,

    put(key: string, body: Readable, putOptions?: PutOptions) {
      const reopen = reopenerOf(body);
      if (!reopen) return backend.put(key, body, putOptions);
      return retrying(
        'put',
        key,
        (attempt) => backend.put(key, attempt === 1 ? body : reopen(), putOptions),
        putOptions?.signal,
      );
    },

    get(key, range) {
      return retrying('get', key, () => backend.get(key, range));
    },

    stat(key) {
      return retrying('stat', key, () => backend.stat(key));
    },

    delete(key) {
      return retrying('delete', key, async (attempt) => {
        try {
          await backend.delete(key);
        } catch (error) {
          // An earlier attempt may have deleted the object before its reply was lost.
          if (attempt > 1 && error instanceof NotFoundError) return;
          throw error;
        }
      });
    },

    list(prefix) {
      return listWithRetry(prefix);
    },

    ...(backend.listIncompleteUploads && {
      listIncompleteUploads: backend.listIncompleteUploads.bind(backend),
    }),
    ...(backend.abortIncompleteUpload && {
      abortIncompleteUpload: backend.abortIncompleteUpload.bind(backend),
    }),

    close() {
      return backend.close();
    },
  };

  /** Restarts a broken listing from the beginning and skips the keys it already yielded. */
  async function* listWithRetry(prefix: string): AsyncGenerator<ObjectInfo> {
    const yielded = new Set<string>();
    for (let attempt = 1; ; attempt++) {
      try {
        for await (const info of backend.list(prefix)) {
          if (yielded.has(info.key)) continue;
          yielded.add(info.key);
          yield info;
        }
        return;
      } catch (error) {
        if (attempt >= attempts || !isRetryableError(error)) throw error;
        const delayMs = backoffDelayMs(attempt, baseDelayMs, maxDelayMs);
        options.onRetry?.({ operation: 'list', key: prefix, attempt, delayMs, error });
        await sleep(delayMs);
      }
    }
  }
}
