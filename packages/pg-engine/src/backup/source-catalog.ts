import type pg from 'pg';
import type { ArchivedDatabase } from '../archive-layout.js';
import { readDatabaseProperties } from '../cluster/database-properties.js';

/**
 * Encoding and locale of the current database, so a restore can CREATE DATABASE the same way, and its owner,
 * comment, privileges and settings, which a restore that creates the database applies at the end.
 */
export async function readSourceDatabase(client: pg.Client): Promise<ArchivedDatabase> {
  // to_jsonb(d) keeps this independent of the version-specific columns (datlocprovider 15+, datlocale 17+).
  const result = await client.query<{ encoding: string; row: Record<string, unknown> }>(
    `SELECT pg_encoding_to_char(d.encoding) AS encoding, to_jsonb(d) AS row
       FROM pg_database d WHERE d.datname = current_database()`,
  );
  const { encoding, row } = result.rows[0]!;
  const database: ArchivedDatabase = {
    name: String(row.datname),
    encoding,
    collate: String(row.datcollate ?? ''),
    ctype: String(row.datctype ?? ''),
  };
  if (typeof row.datlocprovider === 'string') {
    database.localeProvider = row.datlocprovider;
    const icu = row.daticulocale ?? row.datlocale ?? null;
    database.iculocale = typeof icu === 'string' ? icu : null;
  }
  database.properties = await readDatabaseProperties(client, database.name);
  return database;
}

export interface RelationFacts {
  persistence: string;
  /** Current size in blocks (only grows while our ACCESS SHARE lock is held, except for VACUUM truncation). */
  pages: number;
  /** Current heap size in bytes (pg_relation_size, without TOAST). */
  heapBytes: number;
}

/**
 * Persistence and current heap size of tables the caller has locked (pg_relation_size opens each table; the lock
 * it takes is already held, so this costs no lock slots).
 */
export async function readRelationFacts(client: pg.Client, oids: number[]): Promise<Map<number, RelationFacts>> {
  const result = await client.query<{ oid: string; persistence: string; pages: string; bytes: string }>(
    `SELECT c.oid::text AS oid, c.relpersistence AS persistence, pg_relation_size(c.oid)::text AS bytes,
            (pg_relation_size(c.oid) / current_setting('block_size')::bigint)::text AS pages
       FROM pg_class c WHERE c.oid = ANY($1::oid[])`,
    [oids],
  );
  return new Map(
    result.rows.map((row) => [
      Number(row.oid),
      { persistence: row.persistence, pages: Number(row.pages), heapBytes: Number(row.bytes) },
    ]),
  );
}

/**
 * A table's size for planning and progress: the schema dump's estimate comes from pg_class.relpages (heap + TOAST,
 * as of the last VACUUM/ANALYZE), which is 0 for a table never vacuumed or analysed and stale for one that grew
 * since; the current heap size corrects both.
 */
export function currentSizeEstimate(relpagesEstimate: number, facts: RelationFacts | undefined): number {
  return Math.max(relpagesEstimate, facts?.heapBytes ?? 0);
}
