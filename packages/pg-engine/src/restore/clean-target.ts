import type pg from 'pg';
import { quoteIdentifier } from '../util/quote.js';

const PUBLIC_SCHEMA_OWNER_ROLE_VERSION_NUM = 150000;

/**
 * --clean: drops every user object of the target database so the archive's pre-data applies to an empty database:
 * event triggers, publications, extensions (but plpgsql), every user schema with CASCADE, large objects; then
 * recreates the public schema as CREATE DATABASE makes it. Runs inside the caller's transaction.
 */
export async function cleanTarget(client: pg.Client, serverVersionNum: number): Promise<void> {
  const names = async (sql: string): Promise<string[]> =>
    (await client.query<{ name: string }>(sql)).rows.map((row) => row.name);

  for (const name of await names('SELECT evtname AS name FROM pg_event_trigger')) {
    await client.query(`DROP EVENT TRIGGER ${quoteIdentifier(name)}`);
  }
  for (const name of await names('SELECT pubname AS name FROM pg_publication')) {
    await client.query(`DROP PUBLICATION ${quoteIdentifier(name)}`);
  }
  for (const name of await names("SELECT extname AS name FROM pg_extension WHERE extname <> 'plpgsql'")) {
    await client.query(`DROP EXTENSION IF EXISTS ${quoteIdentifier(name)} CASCADE`);
  }
  const schemas = await names(
    `SELECT nspname AS name FROM pg_namespace
      WHERE nspname NOT IN ('pg_catalog', 'information_schema')
        AND nspname NOT LIKE 'pg\\_toast%' AND nspname NOT LIKE 'pg\\_temp%'`,
  );
  for (const name of schemas) await client.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(name)} CASCADE`);
  await client.query('SELECT lo_unlink(oid) FROM pg_largeobject_metadata');
  if (serverVersionNum >= PUBLIC_SCHEMA_OWNER_ROLE_VERSION_NUM) {
    await client.query('CREATE SCHEMA public AUTHORIZATION pg_database_owner');
    await client.query('GRANT USAGE ON SCHEMA public TO PUBLIC');
  } else {
    await client.query('CREATE SCHEMA public');
    await client.query('GRANT ALL ON SCHEMA public TO PUBLIC');
  }
  await client.query("COMMENT ON SCHEMA public IS 'standard public schema'");
}
