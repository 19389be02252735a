import { stat } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { CatalogOpenError, CatalogVersionError } from '../errors.js';
import { catalogMigrations } from '../migrations/index.js';
import type { CatalogDatabase } from './catalog-schema.js';
import { BUSY_TIMEOUT_MS, describeSqliteError, type OpenedDatabase } from './open-database.js';

/**
 * Opens an existing catalog file for reading only (the exporter, `dbbackup metrics`): no directory or file is
 * created, no journal mode is switched and no migration runs, so a reader never changes the file another process
 * writes. WAL lets it read while a backup records itself; busy_timeout covers the moments SQLite still locks (a
 * checkpoint, WAL recovery after a crash).
 *
 * Refuses a file that is missing or whose schema is not exactly the one this code knows: older or never migrated
 * (CatalogOpenError: open it once with a writer to bring it up to date) or newer (CatalogVersionError).
 */
export async function openCatalogDatabaseReadOnly(path: string): Promise<OpenedDatabase> {
  const createIt = `run \`dbbackup catalog list --catalog ${path}\` once to create it`;
  if (path === ':memory:') throw new CatalogOpenError(path, 'an in-memory catalog cannot be opened read-only');
  await requireFile(path, createIt);
  let sqlite: Database.Database;
  try {
    sqlite = new Database(path, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  } catch (error) {
    throw new CatalogOpenError(path, describeSqliteError(error), { cause: error });
  }
  try {
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    await checkSchemaState(path, sqlite);
  } catch (error) {
    sqlite.close();
    if (error instanceof CatalogVersionError || error instanceof CatalogOpenError) throw error;
    throw new CatalogOpenError(path, describeSqliteError(error), { cause: error });
  }
  const db = new Kysely<CatalogDatabase>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { sqlite, db };
}

/**
 * The migrations recorded in the file must be exactly the known ones: an unknown one means a newer dbbackup wrote
 * it, a missing one means a writer has not yet created or updated the tables this code queries.
 */
async function checkSchemaState(path: string, sqlite: Database.Database): Promise<void> {
  const updateIt = `run \`dbbackup catalog list --catalog ${path}\` once to bring it up to date`;
  const table = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'kysely_migration'").get();
  if (table === undefined) {
    throw new CatalogOpenError(path, `the file has no catalog tables yet (${updateIt})`);
  }
  const known = Object.keys(await catalogMigrations.getMigrations());
  const executed = (
    sqlite.prepare('SELECT name FROM kysely_migration ORDER BY name').all() as Array<{ name: string }>
  ).map((row) => row.name);
  const unknown = executed.filter((name) => !known.includes(name));
  if (unknown.length > 0) throw new CatalogVersionError(path, unknown);
  const missing = known.filter((name) => !executed.includes(name));
  if (missing.length > 0) {
    throw new CatalogOpenError(
      path,
      `its schema is older than this dbbackup (lacks ${missing.join(', ')}; ${updateIt})`,
    );
  }
}

async function requireFile(path: string, createIt: string): Promise<void> {
  try {
    if (!(await stat(path)).isFile()) throw new CatalogOpenError(path, 'it is not a file');
  } catch (error) {
    if (error instanceof CatalogOpenError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' || code === 'ENOTDIR'
        ? `the file does not exist (${createIt})`
        : `the file cannot be reached (${(error as Error).message})`;
    throw new CatalogOpenError(path, reason, { cause: error });
  }
}
