export { backoffDelayMs } from './backoff-delay.js';
export { isRetryableError } from './is-retryable-error.js';
export { createReplayableBody } from './replayable-body.js';
export { type StorageLogger, withLogging } from './with-logging.js';
export { type RetryEvent, type RetryOptions, withRetry } from './with-retry.js';
export { withThrottle } from './with-throttle.js';
