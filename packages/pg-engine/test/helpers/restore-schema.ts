import type pg from 'pg';
import {
  largeObjectCreateSql,
  RESTORE_SESSION_SETUP,
  type SchemaDump,
  splitPreDataScript,
} from '../../src/schema/index.js';

/** Pre-data objects per transaction: bounded so thousands of tables do not exhaust max_locks_per_transaction. */
const PRE_DATA_BATCH = 200;

/**
 * Replays a SchemaDump into an empty database the way a restore does, without data: the pre-data script cut into
 * its items and run in batches of transactions, empty large objects, each post-data item as its own query in
 * order, then the sequence values. Errors name the object that failed.
 */
export async function applySchemaDump(client: pg.ClientBase, dump: SchemaDump): Promise<void> {
  const { setup, items } = splitPreDataScript(dump.preData);
  await client.query(setup);
  for (let start = 0; start < items.length; start += PRE_DATA_BATCH) {
    const batch = items.slice(start, start + PRE_DATA_BATCH);
    const sql = batch.map((item) => item.sql).join('\n');
    try {
      await client.query(`BEGIN;\n${sql}\nCOMMIT;`);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw new Error(`pre-data failed: ${(error as Error).message}\n${excerptAt(`BEGIN;\n${sql}`, error)}`, {
        cause: error,
      });
    }
  }
  for (const largeObject of dump.largeObjects) await client.query(largeObjectCreateSql(largeObject));
  await client.query(RESTORE_SESSION_SETUP);
  for (const item of dump.postData) {
    try {
      await client.query(item.sql);
    } catch (error) {
      throw new Error(`post-data item ${item.id} (${item.kind}) failed: ${(error as Error).message}\n${item.sql}`, {
        cause: error,
      });
    }
  }
  if (dump.sequenceValues !== '') await client.query(dump.sequenceValues);
}

/** The lines around the server-reported error position (1-based character offset into the query). */
function excerptAt(sql: string, error: unknown): string {
  const position = Number((error as { position?: string }).position);
  if (!Number.isFinite(position) || position <= 0) return '';
  const before = sql.lastIndexOf('\n', Math.max(0, position - 400));
  const after = sql.indexOf('\n', position + 200);
  return `${sql.slice(before + 1, position - 1)}<<<HERE>>>${sql.slice(position - 1, after < 0 ? undefined : after)}`;
}
