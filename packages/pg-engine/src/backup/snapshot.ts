import type pg from 'pg';
import { type LockCapacity, readLockCapacity, translateLockTableFull } from '../connection/lock-capacity.js';
import { quoteLiteral } from '../util/quote.js';

export interface ConsistencyPoint {
  /** Exported snapshot id; valid while the coordinator's transaction stays open. */
  snapshot: string;
  /** WAL position of the snapshot (replay position on a standby). */
  lsn: string;
  inRecovery: boolean;
}

/**
 * Starts the coordinator transaction every worker joins. It must stay open until all workers have finished,
 * otherwise the exported snapshot disappears.
 */
export async function beginCoordinatorSnapshot(client: pg.Client): Promise<ConsistencyPoint> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  const result = await client.query<{ snapshot: string; lsn: string; in_recovery: boolean }>(
    `SELECT pg_export_snapshot() AS snapshot, pg_is_in_recovery() AS in_recovery,
            (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END)::text AS lsn`,
  );
  const row = result.rows[0]!;
  return { snapshot: row.snapshot, lsn: row.lsn, inRecovery: row.in_recovery };
}

/**
 * Runs `work` on a worker connection in a transaction that sees exactly the coordinator's snapshot, ended when the
 * work is done. Each work item gets its own transaction, so a worker holds the locks of one table at a time (the
 * coordinator's ACCESS SHARE locks protect every table meanwhile) and a backup needs about one lock slot per table,
 * like pg_dump, not one per table per connection.
 */
export async function inSnapshot<T>(client: pg.Client, snapshot: string, work: () => Promise<T>): Promise<T> {
  await client.query(
    `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT ${quoteLiteral(snapshot)}`,
  );
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** What a backup holds locks on until it ends, and how many locks the server has room for. */
export interface LockedRelations {
  tables: number;
  /** Tables plus the sequences and views the schema dump reads (each locked until the end as well). */
  relations: number;
  capacity: LockCapacity;
}

/**
 * Takes ACCESS SHARE locks on every user table, as pg_dump does, so no table can be dropped or rewritten
 * (ALTER TABLE, TRUNCATE, VACUUM FULL) while its rows are being read. Ordinary writes are not blocked. The locks
 * last until the transaction ends, so the server's lock table must hold one per table (and per sequence and view
 * the schema dump reads): a full lock table fails with LockTableFullError, which says what to raise.
 */
export async function lockUserTables(client: pg.Client, operation: string): Promise<LockedRelations> {
  const capacity = await readLockCapacity(client);
  const result = await client.query<{ name: string; others: number }>(
    `SELECT format('%I.%I', n.nspname, c.relname) AS name,
            (SELECT count(*)::int FROM pg_class o JOIN pg_namespace m ON m.oid = o.relnamespace
              WHERE o.relkind IN ('S', 'v', 'm') AND m.nspname NOT IN ('pg_catalog', 'information_schema')) AS others
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND c.relpersistence <> 't'
        AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'`,
  );
  const names = result.rows.map((row) => row.name);
  const locked: LockedRelations = {
    tables: names.length,
    relations: names.length + (result.rows[0]?.others ?? 0),
    capacity,
  };
  const batch = 1000;
  try {
    for (let i = 0; i < names.length; i += batch) {
      await client.query(`LOCK TABLE ${names.slice(i, i + batch).join(', ')} IN ACCESS SHARE MODE`);
    }
  } catch (error) {
    throw translateBackupLockError(error, operation, locked);
  }
  return locked;
}

/** An "out of shared memory" during a backup (or SQL script) explained: why it needs the locks, what to raise. */
export function translateBackupLockError(
  error: unknown,
  operation: string,
  locked: LockedRelations | undefined,
): unknown {
  if (!locked) return translateLockTableFull(error, operation, 'it locks every table it reads', undefined, 0);
  return translateLockTableFull(
    error,
    operation,
    `like pg_dump (which has the same limit), it holds an ACCESS SHARE lock on each of the ${locked.tables} tables (and ${locked.relations - locked.tables} sequences and views) until it ends`,
    locked.capacity,
    locked.relations,
  );
}
