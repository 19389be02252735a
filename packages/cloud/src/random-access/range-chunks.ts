import { setTimeout as sleep } from 'node:timers/promises';
import type { StorageBackend } from '../storage-backend.js';
import { backoffDelayMs } from '../wrappers/backoff-delay.js';
import { isRetryableError } from '../wrappers/is-retryable-error.js';

/** How often one range read may resume after its stream broke; opening is retried by withRetry, if present. */
const MAX_RESUMES = 3;

/**
 * Yields the bytes [offset, offset + length) of `key` with ranged gets. When the stream breaks with a retryable
 * error (a connection reset halfway through a member), it resumes from the first byte not yet yielded rather than
 * failing the whole restore. Ends early only where the object ends.
 */
export async function* rangeChunks(
  backend: StorageBackend,
  key: string,
  offset: number,
  length: number,
): AsyncGenerator<Buffer> {
  let position = offset;
  let remaining = length;
  for (let resumes = 0; remaining > 0; ) {
    try {
      const stream = await backend.get(key, { offset: position, length: remaining });
      for await (const chunk of stream) {
        let bytes = chunk as Buffer;
        if (bytes.length > remaining) bytes = bytes.subarray(0, remaining); // a store that ignored the range end
        position += bytes.length;
        remaining -= bytes.length;
        yield bytes;
        if (remaining === 0) break;
      }
      return;
    } catch (error) {
      if (++resumes > MAX_RESUMES || !isRetryableError(error)) throw error;
      await sleep(backoffDelayMs(resumes, 200, 2000));
    }
  }
}
