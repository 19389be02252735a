import type pg from 'pg';
import { LockTableFullError } from '../errors.js';

/** PostgreSQL's "out of shared memory" (the lock table is full; the hint names max_locks_per_transaction). */
const OUT_OF_MEMORY = '53200';

/** How many heavyweight locks the server can hold at once, all sessions together. */
export interface LockCapacity {
  maxLocksPerTransaction: number;
  /**
   * Server processes the lock table is sized for: max_connections + autovacuum_max_workers + 1 +
   * max_worker_processes + max_wal_senders, plus max_prepared_transactions (PostgreSQL's MaxBackends formula).
   */
  backends: number;
  /** max_locks_per_transaction × backends; the table can borrow a little spare shared memory beyond it. */
  slots: number;
}

export async function readLockCapacity(client: pg.Client): Promise<LockCapacity> {
  const { rows } = await client.query<{ locks: number; backends: number }>(
    `SELECT current_setting('max_locks_per_transaction')::int AS locks,
            (current_setting('max_connections')::int + current_setting('autovacuum_max_workers')::int + 1
              + current_setting('max_worker_processes')::int + current_setting('max_wal_senders')::int
              + current_setting('max_prepared_transactions')::int) AS backends`,
  );
  const { locks, backends } = rows[0]!;
  return { maxLocksPerTransaction: locks, backends, slots: locks * backends };
}

export function isLockTableFull(error: unknown): boolean {
  const { code, hint, message } = error as { code?: string; hint?: string; message?: string };
  return code === OUT_OF_MEMORY && /max_locks_per_transaction/.test(`${hint ?? ''} ${message ?? ''}`);
}

/**
 * A max_locks_per_transaction with room for `locks` held at once (plus as much again for everything else the
 * server runs), as a power of two, and at least twice the current setting since that one did not suffice.
 */
export function suggestMaxLocksPerTransaction(capacity: LockCapacity | undefined, locks: number): number {
  const current = capacity?.maxLocksPerTransaction ?? 64;
  const needed = Math.ceil((2 * locks) / Math.max(1, capacity?.backends ?? 100));
  let suggestion = 2 * current;
  while (suggestion < needed) suggestion *= 2;
  return suggestion;
}

/** Turns an "out of shared memory" from the lock manager into a LockTableFullError that says what to change. */
export function translateLockTableFull(
  error: unknown,
  operation: string,
  why: string,
  capacity: LockCapacity | undefined,
  locks: number,
): unknown {
  if (error instanceof LockTableFullError || !isLockTableFull(error)) return error;
  return new LockTableFullError(operation, why, capacity, suggestMaxLocksPerTransaction(capacity, locks), {
    cause: error,
  });
}

/**
 * Locks one schema object takes when it is created or dropped, generously: a table locks itself, its TOAST table
 * and index, its sequences and types (a CREATE TABLE with a serial column was measured at 9 lock entries).
 */
export const LOCKS_PER_SCHEMA_OBJECT = 8;
const MAX_OBJECTS_PER_TRANSACTION = 200;

/**
 * Objects to create or drop per transaction when a restore works through a large schema: all their locks are held
 * until COMMIT, and one transaction should use at most a quarter of the lock table. 200 with default settings,
 * fewer on small servers (3 with max_locks_per_transaction 10 and max_connections 10).
 */
export function objectsPerTransaction(capacity: LockCapacity): number {
  const fitting = Math.floor(capacity.slots / 4 / LOCKS_PER_SCHEMA_OBJECT);
  return Math.max(1, Math.min(MAX_OBJECTS_PER_TRANSACTION, fitting));
}
