import { type Kysely, sql } from 'kysely';

/**
 * The first schema: backups (one row per backup, unique by location), the history of their verifications, and
 * restores. Migrations take `Kysely<any>`: they describe the schema as it was then, not the current types.
 */
// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('backups')
    .addColumn('id', 'integer', (column) => column.primaryKey().autoIncrement())
    .addColumn('database', 'text')
    .addColumn('engine', 'text', (column) => column.notNull())
    .addColumn('host', 'text')
    .addColumn('kind', 'text', (column) => column.notNull().check(sql`kind IN ('single', 'cluster', 'sample')`))
    .addColumn('format', 'text', (column) => column.notNull().check(sql`format IN ('archive', 'sql')`))
    .addColumn('location', 'text', (column) => column.notNull().unique())
    .addColumn('started_at', 'text', (column) => column.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('duration_ms', 'integer')
    .addColumn('status', 'text', (column) => column.notNull().check(sql`status IN ('running', 'success', 'failed')`))
    .addColumn('error', 'text')
    .addColumn('bytes', 'integer')
    .addColumn('sha256', 'text')
    .addColumn('encrypted', 'integer', (column) => column.notNull().check(sql`encrypted IN (0, 1)`))
    .addColumn('compression', 'text', (column) => column.notNull())
    .addColumn('consistency', 'text')
    .addColumn('server_version', 'text')
    .addColumn('table_count', 'integer')
    .addColumn('row_count', 'integer')
    .addColumn('parent_id', 'integer', (column) => column.references('backups.id').onDelete('set null'))
    .execute();
  await db.schema.createIndex('backups_database_started').on('backups').columns(['database', 'started_at']).execute();
  await db.schema.createIndex('backups_status').on('backups').column('status').execute();
  await db.schema.createIndex('backups_started').on('backups').column('started_at').execute();

  await db.schema
    .createTable('verifications')
    .addColumn('id', 'integer', (column) => column.primaryKey().autoIncrement())
    .addColumn('backup_id', 'integer', (column) => column.notNull().references('backups.id').onDelete('cascade'))
    .addColumn('at', 'text', (column) => column.notNull())
    .addColumn('result', 'text', (column) => column.notNull().check(sql`result IN ('passed', 'failed')`))
    .addColumn('kind', 'text', (column) => column.notNull().check(sql`kind IN ('verify', 'deep', 'restore')`))
    .addColumn('detail', 'text')
    .execute();
  await db.schema.createIndex('verifications_backup_at').on('verifications').columns(['backup_id', 'at']).execute();

  await db.schema
    .createTable('restores')
    .addColumn('id', 'integer', (column) => column.primaryKey().autoIncrement())
    .addColumn('backup_id', 'integer', (column) => column.references('backups.id').onDelete('set null'))
    .addColumn('location', 'text', (column) => column.notNull())
    .addColumn('database', 'text', (column) => column.notNull())
    .addColumn('engine', 'text', (column) => column.notNull())
    .addColumn('host', 'text')
    .addColumn('started_at', 'text', (column) => column.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('duration_ms', 'integer')
    .addColumn('status', 'text', (column) => column.notNull().check(sql`status IN ('running', 'success', 'failed')`))
    .addColumn('error', 'text')
    .addColumn('table_count', 'integer')
    .addColumn('row_count', 'integer')
    .execute();
  await db.schema.createIndex('restores_database_started').on('restores').columns(['database', 'started_at']).execute();
  await db.schema.createIndex('restores_backup').on('restores').column('backup_id').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('restores').execute();
  await db.schema.dropTable('verifications').execute();
  await db.schema.dropTable('backups').execute();
}
