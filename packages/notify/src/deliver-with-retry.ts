import { NotifyDeliveryError } from './errors.js';
import type { NotificationMessage } from './notification-message.js';
import type { Notifier, NotifierSendOptions } from './notifier.js';
import { oneLine } from './redactor.js';

export interface RetryPolicy {
  /** Attempts in total, the first included (NOTIFY_RETRIES). */
  attempts: number;
  /** Wait before the 2nd attempt; doubled before each further one (1 s → 1 s, 2 s, 4 s ...). */
  baseDelayMs: number;
}

export type DeliveryOutcome =
  | { ok: true; attempts: number; response: string }
  | { ok: false; attempts: number; error: NotifyDeliveryError };

/**
 * Sends one message through one notifier, retrying with exponential backoff until it is delivered, the attempts
 * are used up, the failure is permanent, or `signal` aborts. Never rejects. The backoff timer is unref'd: it does
 * not keep a process alive by itself (flush()/close() hold the process while they wait).
 */
export async function deliverWithRetry(
  notifier: Notifier,
  message: NotificationMessage,
  policy: RetryPolicy,
  options: NotifierSendOptions = {},
): Promise<DeliveryOutcome> {
  let attempt = 0;
  for (;;) {
    attempt += 1;
    try {
      const delivery = await notifier.send(message, options);
      return { ok: true, attempts: attempt, response: delivery.response };
    } catch (error) {
      const failure =
        error instanceof NotifyDeliveryError
          ? error
          : new NotifyDeliveryError(oneLine(error instanceof Error ? error.message : String(error)), { cause: error });
      if (failure.permanent || isAborted(options.signal) || attempt >= policy.attempts)
        return { ok: false, attempts: attempt, error: failure };
      await sleep(policy.baseDelayMs * 2 ** (attempt - 1), options.signal);
      if (isAborted(options.signal)) return { ok: false, attempts: attempt, error: failure };
    }
  }
}

/** A function, not an inline check: TypeScript would otherwise assume `aborted` cannot change across an await. */
function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

function sleep(milliseconds: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, milliseconds);
    timer.unref();
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
