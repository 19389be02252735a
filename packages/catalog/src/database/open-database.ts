import { access, chmod, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import { CatalogOpenError, CatalogVersionError } from '../errors.js';
import { catalogMigrations } from '../migrations/index.js';
import type { CatalogDatabase } from './catalog-schema.js';

/** How long a writer waits for another process's write to finish before giving up (SQLite busy_timeout). */
export const BUSY_TIMEOUT_MS = 15_000;

export interface OpenedDatabase {
  sqlite: Database.Database;
  db: Kysely<CatalogDatabase>;
}

/**
 * Opens (creating when absent) the catalog file: parent directory with mode 0700 (the catalog names hosts and
 * databases), WAL journal so readers never block the one writer, busy_timeout so concurrent writers from other
 * processes wait instead of failing, foreign keys on, then the schema migrations.
 */
export async function openCatalogDatabase(path: string): Promise<OpenedDatabase> {
  if (path !== ':memory:') {
    try {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    } catch (error) {
      throw new CatalogOpenError(path, `its directory cannot be created (${(error as Error).message})`, {
        cause: error,
      });
    }
  }
  const isNew = path !== ':memory:' && !(await exists(path));
  let sqlite: Database.Database;
  try {
    sqlite = new Database(path, { timeout: BUSY_TIMEOUT_MS });
  } catch (error) {
    throw new CatalogOpenError(path, describeSqliteError(error), { cause: error });
  }
  try {
    // Only its owner reads a new catalog (it names hosts and databases); SQLite gives the -wal file the same mode.
    if (isNew) await chmod(path, 0o600);
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    await switchToWal(sqlite);
    // NORMAL is durable in WAL mode except for the last transactions before a power loss; the catalog is a cache
    // of the archives, rebuilt by `catalog sync`, so it need not pay for a sync per commit.
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
  } catch (error) {
    sqlite.close();
    throw new CatalogOpenError(path, describeSqliteError(error), { cause: error });
  }
  const db = new Kysely<CatalogDatabase>({ dialect: new SqliteDialect({ database: sqlite }) });
  try {
    await migrate(path, sqlite, db);
  } catch (error) {
    await db.destroy();
    if (error instanceof CatalogVersionError || error instanceof CatalogOpenError) throw error;
    throw new CatalogOpenError(path, describeSqliteError(error), { cause: error });
  }
  return { sqlite, db };
}

/**
 * Runs the pending migrations inside one BEGIN IMMEDIATE transaction taken on the raw connection. Kysely's
 * Migrator takes no lock on SQLite (it assumes one connection), so two processes opening a new catalog at the same
 * moment would both create the tables; the immediate transaction makes the second wait (busy_timeout), after which
 * it finds nothing left to do. Kysely runs the Migrator's statements on the same connection, inside it.
 */
async function migrate(path: string, sqlite: Database.Database, db: Kysely<CatalogDatabase>): Promise<void> {
  sqlite.exec('BEGIN IMMEDIATE');
  try {
    await refuseNewerSchema(path, sqlite);
    const migrator = new Migrator({ db, provider: catalogMigrations });
    const { error } = await migrator.migrateToLatest();
    if (error !== undefined) {
      const message = error instanceof Error ? error.message : String(error);
      throw new CatalogOpenError(path, `updating its schema failed (${message})`, { cause: error });
    }
    sqlite.exec('COMMIT');
  } catch (error) {
    if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    throw error;
  }
}

/**
 * Turns on the WAL journal, retrying while another process holds the file. Switching the journal mode takes an
 * exclusive lock after a shared one, and SQLite does not call the busy handler for that upgrade (two connections
 * upgrading at once would wait for each other forever): when two processes open a new catalog at the same moment,
 * one gets SQLITE_BUSY at once. It retries until busy_timeout would have expired; by then the other has switched.
 */
async function switchToWal(sqlite: Database.Database): Promise<void> {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      sqlite.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const busy = typeof code === 'string' && code.startsWith('SQLITE_BUSY');
      if (!busy || Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 40));
    }
  }
}

async function refuseNewerSchema(path: string, sqlite: Database.Database): Promise<void> {
  const table = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'kysely_migration'").get();
  if (table === undefined) return;
  const known = new Set(Object.keys(await catalogMigrations.getMigrations()));
  const executed = sqlite.prepare('SELECT name FROM kysely_migration ORDER BY name').all() as Array<{ name: string }>;
  const unknown = executed.map((row) => row.name).filter((name) => !known.has(name));
  if (unknown.length > 0) throw new CatalogVersionError(path, unknown);
}

/** One clause saying what is wrong with the file, from better-sqlite3's error code. */
export function describeSqliteError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  switch (code) {
    case 'SQLITE_NOTADB':
      return 'the file is not a SQLite database';
    case 'SQLITE_CANTOPEN':
      return `the file cannot be opened (${message})`;
    case 'SQLITE_READONLY':
      return `the file is read-only (${message})`;
    case 'SQLITE_READONLY_DIRECTORY':
      // A WAL catalog that no process has open has no -shm/-wal files; even a read-only reader must create them.
      return "its directory is read-only, and SQLite must create the catalog's -shm and -wal files there to read a catalog no other process has open; give this process write access to the directory (the catalog itself is still only read)";
    case 'SQLITE_BUSY':
      return `another process held it locked for more than ${BUSY_TIMEOUT_MS / 1000} s`;
    case 'SQLITE_CORRUPT':
      return 'the file is damaged; delete it and rebuild it with dbbackup catalog sync DIR';
    default:
      return message;
  }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
