import type pg from 'pg';
import { splitPreDataScript } from '../schema/index.js';
import { cleanTarget } from './clean-target.js';
import { TransactionBatches } from './transaction-batches.js';

export interface PreDataOptions {
  /** Drop the target's objects first (in the same transaction batches, so a small schema stays atomic). */
  clean: boolean;
  serverVersionNum: number;
  objectsPerTransaction: number;
}

/**
 * Runs the archive's pre-data script: its session setup, then (after --clean's drops) its objects in dump order, in
 * transactions of `objectsPerTransaction` objects. One transaction over a schema of thousands of tables would run
 * out of lock slots (max_locks_per_transaction); a failure rolls back the current batch, earlier ones stay.
 */
export async function restorePreData(client: pg.Client, script: string, options: PreDataOptions): Promise<void> {
  const { setup, items } = splitPreDataScript(script);
  await client.query(setup);
  const batches = new TransactionBatches(client, options.objectsPerTransaction);
  if (options.clean) await cleanTarget(batches, options.serverVersionNum);
  for (const item of items) await batches.run(item.sql);
  await batches.commit();
}
