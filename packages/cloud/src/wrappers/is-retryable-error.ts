import { StorageError } from '../errors.js';

/** Node socket errors that mean "the connection went away": the same request on a new connection may succeed. */
export const RETRYABLE_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

const MAX_CAUSE_DEPTH = 8;

/**
 * Whether repeating the request may succeed. A StorageError decides for itself (backends map 5xx, 429 and
 * throttling replies to retryable: true); otherwise a Node network code or an HTTP 5xx/429 status anywhere in the
 * cause chain counts. Everything else (not found, bad credentials, bad input) is final.
 */
export function isRetryableError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && current instanceof Error; depth++) {
    if (current instanceof StorageError) {
      if (current.retryable) return true;
      // A typed, final error (NOT_FOUND, AUTHENTICATION…) is final even when its cause was a network error.
      if (current.code !== 'IO') return false;
    }
    const fields = current as Error & { code?: unknown; statusCode?: unknown; status?: unknown };
    if (typeof fields.code === 'string' && RETRYABLE_NETWORK_CODES.has(fields.code)) return true;
    const status = typeof fields.statusCode === 'number' ? fields.statusCode : fields.status;
    if (typeof status === 'number' && (status === 429 || (status >= 500 && status <= 599))) return true;
    current = current.cause;
  }
  return false;
}
