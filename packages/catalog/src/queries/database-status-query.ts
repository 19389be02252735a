import { type Kysely, sql } from 'kysely';
import type { CatalogDatabase } from '../database/catalog-schema.js';

export interface DatabaseStatusIds {
  database: string | null;
  engine: string;
  host: string | null;
  lastId: number;
  lastSuccessId: number | null;
}

/**
 * Per (engine, host, database), over full backups (single and cluster; a sample protects nothing), the id of the newest backup and of the newest successful one. `IS` (not `=`) so
 * that a null host or database (unknown host, cluster backup) matches its own group.
 */
export async function queryDatabaseStatus(db: Kysely<CatalogDatabase>): Promise<DatabaseStatusIds[]> {
  const newest = (onlySuccessful: boolean) =>
    sql<number | null>`(SELECT o.id FROM backups o
        WHERE o.engine = g.engine AND o.host IS g.host AND o.database IS g.database AND o.kind <> 'sample'
          ${onlySuccessful ? sql`AND o.status = 'success'` : sql``}
        ORDER BY o.started_at DESC, o.id DESC LIMIT 1)`;
  const rows = await db
    .selectFrom('backups as g')
    .select(['g.database', 'g.engine', 'g.host', newest(false).as('last_id'), newest(true).as('last_success_id')])
    .where('g.kind', '<>', 'sample')
    .groupBy(['g.engine', 'g.host', 'g.database'])
    .orderBy(sql`g.database IS NOT NULL`)
    .orderBy('g.database')
    .orderBy('g.engine')
    .orderBy('g.host')
    .execute();
  return rows.map((row) => ({
    database: row.database,
    engine: row.engine,
    host: row.host,
    lastId: row.last_id!,
    lastSuccessId: row.last_success_id,
  }));
}
