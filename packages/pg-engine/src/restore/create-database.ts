import type pg from 'pg';
import type { ArchivedDatabase } from '../archive-layout.js';
import { DatabaseExistsError } from '../errors.js';
import { quoteIdentifier, quoteLiteral } from '../util/quote.js';

const LOCALE_PROVIDER_VERSION_NUM = 150000;

export async function databaseExists(admin: pg.Client, name: string): Promise<boolean> {
  const result = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  return result.rowCount === 1;
}

/**
 * CREATE DATABASE from template0 with the source's encoding and locale, so every value round-trips byte for byte
 * and text sorts (and indexes) the same way as in the source.
 */
export function createDatabaseSql(name: string, source: ArchivedDatabase, targetVersionNum: number): string {
  const clauses = [`TEMPLATE template0`, `ENCODING ${quoteLiteral(source.encoding)}`];
  if (source.collate) clauses.push(`LC_COLLATE ${quoteLiteral(source.collate)}`);
  if (source.ctype) clauses.push(`LC_CTYPE ${quoteLiteral(source.ctype)}`);
  if (targetVersionNum >= LOCALE_PROVIDER_VERSION_NUM && source.localeProvider === 'i' && source.iculocale) {
    clauses.push(`LOCALE_PROVIDER 'icu'`, `ICU_LOCALE ${quoteLiteral(source.iculocale)}`);
  }
  return `CREATE DATABASE ${quoteIdentifier(name)} ${clauses.join(' ')}`;
}

export async function createDatabase(
  admin: pg.Client,
  name: string,
  source: ArchivedDatabase,
  targetVersionNum: number,
): Promise<void> {
  if (await databaseExists(admin, name)) throw new DatabaseExistsError(name);
  await admin.query(createDatabaseSql(name, source, targetVersionNum));
}

/** Drops a database this process created, ending any connection still on it first. */
export async function dropDatabase(admin: pg.Client, name: string, targetVersionNum: number): Promise<void> {
  if (targetVersionNum >= 130000) {
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
    return;
  }
  await admin.query(
    'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
    [name],
  );
  await admin.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)}`);
}
