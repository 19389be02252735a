/** How long locks live. Both have defaults taken from restic. */
export interface LockOptions {
  /** A lock not refreshed for this long belongs to a process that is gone (default 30 min). */
  staleAfterMs?: number;
  /** How often a running process replaces its lock object with one of a fresh time (default 5 min). */
  refreshIntervalMs?: number;
}

export type ResolvedLockOptions = Required<LockOptions>;

export const DEFAULT_LOCK_OPTIONS: ResolvedLockOptions = Object.freeze({
  staleAfterMs: 30 * 60_000,
  refreshIntervalMs: 5 * 60_000,
});

export function resolveLockOptions(options: LockOptions | undefined): ResolvedLockOptions {
  return { ...DEFAULT_LOCK_OPTIONS, ...options };
}
