import { type Kysely, sql } from 'kysely';
import type { CatalogDatabase } from './catalog-schema.js';

/**
 * Runs `work` in a BEGIN IMMEDIATE transaction. A plain (deferred) BEGIN that reads and then writes can fail at once
 * with SQLITE_BUSY when another process wrote in between, without waiting for busy_timeout; taking the write lock
 * up front makes a second process wait its turn instead. kysely's transaction() issues a deferred BEGIN, hence this.
 */
export async function immediateTransaction<T>(
  db: Kysely<CatalogDatabase>,
  work: (transaction: Kysely<CatalogDatabase>) => Promise<T>,
): Promise<T> {
  return db.connection().execute(async (connection) => {
    await sql`BEGIN IMMEDIATE`.execute(connection);
    try {
      const result = await work(connection);
      await sql`COMMIT`.execute(connection);
      return result;
    } catch (error) {
      await sql`ROLLBACK`.execute(connection).catch(() => undefined);
      throw error;
    }
  });
}
