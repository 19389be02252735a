import { pipeline, type Readable } from 'node:stream';
import { createThrottle } from '@dbbackup/pipeline';
import type { PutOptions, StorageBackend } from '../storage-backend.js';
import { createReplayableBody, reopenerOf } from './replayable-body.js';

/** `source` through a token bucket; an error on either side destroys both (the consumer sees the source's error). */
function throttled(source: Readable, bytesPerSecond: number): Readable {
  const throttle = createThrottle(bytesPerSecond);
  pipeline(source, throttle, () => {
    // pipeline already destroyed both streams with the error; the reader of `throttle` receives it.
  });
  return throttle;
}

/**
 * Limits every put body and get stream to `bytesPerSecond` (token bucket from @dbbackup/pipeline; parse user input
 * with parseRate). The limit applies to each transfer: N parallel ranged reads move up to N × bytesPerSecond.
 * Throws InvalidRateError for a rate that is not a positive number.
 */
export function withThrottle(backend: StorageBackend, bytesPerSecond: number): StorageBackend {
  createThrottle(bytesPerSecond).destroy(); // validates the rate now rather than on the first transfer

  return {
    kind: backend.kind,
    description: backend.description,
    capabilities: backend.capabilities,

    put(key: string, body: Readable, options?: PutOptions) {
      const reopen = reopenerOf(body);
      if (!reopen) return backend.put(key, throttled(body, bytesPerSecond), options);
      let first = true;
      const replayable = createReplayableBody(() => {
        const source = first ? body : reopen();
        first = false;
        return throttled(source, bytesPerSecond);
      });
      return backend.put(key, replayable, options);
    },

    async get(key, range) {
      return throttled(await backend.get(key, range), bytesPerSecond);
    },

    list: (prefix) => backend.list(prefix),
    stat: (key) => backend.stat(key),
    delete: (key) => backend.delete(key),
    ...(backend.listIncompleteUploads && {
      listIncompleteUploads: backend.listIncompleteUploads.bind(backend),
    }),
    ...(backend.abortIncompleteUpload && {
      abortIncompleteUpload: backend.abortIncompleteUpload.bind(backend),
    }),
    close: () => backend.close(),
  };
}
