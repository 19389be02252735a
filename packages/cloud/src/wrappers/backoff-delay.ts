/**
 * Exponential backoff with "equal jitter": the n-th retry waits between half and all of
 * min(maxDelayMs, baseDelayMs · 2^(n-1)), so many clients that failed together do not retry in lockstep.
 */
export function backoffDelayMs(retry: number, baseDelayMs: number, maxDelayMs: number): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, retry - 1));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}
