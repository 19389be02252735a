import type pg from 'pg';
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

/** Makes a worker connection see exactly the coordinator's snapshot. */
export async function joinSnapshot(client: pg.Client, snapshot: string): Promise<void> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  await client.query(`SET TRANSACTION SNAPSHOT ${quoteLiteral(snapshot)}`);
}

/**
 * Takes ACCESS SHARE locks on every user table, as pg_dump does, so no table can be dropped or rewritten
 * (ALTER TABLE, TRUNCATE, VACUUM FULL) while its rows are being read. Ordinary writes are not blocked.
 */
export async function lockUserTables(client: pg.Client): Promise<number> {
  const result = await client.query<{ name: string }>(
    `SELECT format('%I.%I', n.nspname, c.relname) AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND c.relpersistence <> 't'
        AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'`,
  );
  const names = result.rows.map((row) => row.name);
  const batch = 1000;
  for (let i = 0; i < names.length; i += batch) {
    await client.query(`LOCK TABLE ${names.slice(i, i + batch).join(', ')} IN ACCESS SHARE MODE`);
  }
  return names.length;
}
