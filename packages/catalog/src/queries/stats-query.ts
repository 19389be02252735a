import { type Kysely, sql } from 'kysely';
import type { CatalogDatabase } from '../database/catalog-schema.js';
import type { CatalogStats } from '../types.js';

const successful = sql<number>`coalesce(sum(status = 'success'), 0)`;
const successfulBytes = sql<number>`coalesce(sum(CASE WHEN status = 'success' THEN bytes END), 0)`;

/** Totals over the whole catalog, then per (database, engine) and per engine; bytes count successful backups only. */
export async function queryStats(db: Kysely<CatalogDatabase>): Promise<CatalogStats> {
  const totals = await db
    .selectFrom('backups')
    .select([
      sql<number>`count(*)`.as('backups'),
      successful.as('successful'),
      sql<number>`coalesce(sum(status = 'failed'), 0)`.as('failed'),
      sql<number>`coalesce(sum(status = 'running'), 0)`.as('running'),
      successfulBytes.as('total_bytes'),
      sql<string | null>`min(started_at)`.as('oldest'),
      sql<string | null>`max(started_at)`.as('newest'),
    ])
    .executeTakeFirstOrThrow();
  const perDatabase = await db
    .selectFrom('backups')
    .select([
      'database',
      'engine',
      sql<number>`count(*)`.as('backups'),
      successful.as('successful'),
      successfulBytes.as('bytes'),
      sql<string | null>`max(CASE WHEN status = 'success' THEN started_at END)`.as('last_success_at'),
    ])
    .groupBy(['database', 'engine'])
    .orderBy(sql`database IS NOT NULL`)
    .orderBy('database')
    .orderBy('engine')
    .execute();
  const perEngine = await db
    .selectFrom('backups')
    .select(['engine', sql<number>`count(*)`.as('backups'), successful.as('successful'), successfulBytes.as('bytes')])
    .groupBy('engine')
    .orderBy('engine')
    .execute();
  const finished = totals.successful + totals.failed;
  return {
    backups: totals.backups,
    successful: totals.successful,
    failed: totals.failed,
    running: totals.running,
    successRate: finished === 0 ? null : totals.successful / finished,
    totalBytes: totals.total_bytes,
    oldest: totals.oldest,
    newest: totals.newest,
    perDatabase: perDatabase.map((row) => ({
      database: row.database,
      engine: row.engine,
      backups: row.backups,
      successful: row.successful,
      bytes: row.bytes,
      lastSuccessAt: row.last_success_at,
    })),
    perEngine: perEngine.map((row) => ({
      engine: row.engine,
      backups: row.backups,
      successful: row.successful,
      bytes: row.bytes,
    })),
  };
}
