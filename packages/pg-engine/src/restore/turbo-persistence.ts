import type pg from 'pg';
import type { ArchivedTable } from '../archive-layout.js';
import { NotDurableError } from '../errors.js';

/**
 * turbo mode: rows COPYed into an UNLOGGED table write no WAL. SET LOGGED afterwards rewrites the table, and with
 * wal_level replica or logical that rewrite is itself WAL-logged, so the saving is smaller there (measure it).
 */
export async function setUnlogged(client: pg.Client, tables: readonly ArchivedTable[]): Promise<void> {
  for (const table of tables) await client.query(`ALTER TABLE ${table.qualifiedName} SET UNLOGGED`);
}

export async function setLogged(client: pg.Client, table: ArchivedTable): Promise<void> {
  await client.query(`ALTER TABLE ${table.qualifiedName} SET LOGGED`);
}

/** A turbo restore must end durable: every table it switched must be permanent again. */
export async function assertLogged(client: pg.Client, tables: readonly ArchivedTable[]): Promise<void> {
  const result = await client.query<{ name: string }>(
    `SELECT c.oid::regclass::text AS name FROM pg_class c
      WHERE c.oid = ANY($1::regclass[]) AND c.relpersistence <> 'p'`,
    [tables.map((table) => table.qualifiedName)],
  );
  if (result.rows.length > 0) throw new NotDurableError(result.rows.map((row) => row.name));
}
