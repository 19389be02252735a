import type { ClientBase } from 'pg';

/**
 * Session settings every restore connection runs first (pre-data, data and post-data workers alike), the same set
 * pg_dump writes at the top of its scripts. The empty search_path is why every name in the generated SQL is
 * schema-qualified; check_function_bodies = false lets functions reference tables that are created later.
 */
export const RESTORE_SESSION_SETUP = [
  'SET statement_timeout = 0;',
  'SET lock_timeout = 0;',
  'SET idle_in_transaction_session_timeout = 0;',
  "SET client_encoding = 'UTF8';",
  'SET standard_conforming_strings = on;',
  "SELECT pg_catalog.set_config('search_path', '', false);",
  'SET check_function_bodies = false;',
  'SET xmloption = content;',
  'SET client_min_messages = warning;',
  'SET row_security = off;',
  "SET default_tablespace = '';",
  'SET default_table_access_method = heap;',
].join('\n');

/**
 * Settings the dumping session needs so that the server's deparsers (pg_get_viewdef, pg_get_expr, ...) print
 * fully qualified names and unambiguous constants, as pg_dump arranges: empty search_path, ISO dates, postgres
 * interval style and shortest-exact floats.
 */
const DUMP_SETTINGS: ReadonlyArray<readonly [string, string]> = [
  ['search_path', ''],
  ['DateStyle', 'ISO'],
  ['IntervalStyle', 'postgres'],
  ['extra_float_digits', '3'],
];

/** Runs `work` with the dump settings in force, then puts the caller's settings back. */
export async function withDumpSettings<T>(client: ClientBase, work: () => Promise<T>): Promise<T> {
  const names = DUMP_SETTINGS.map(([name]) => name);
  const { rows } = await client.query<{ name: string; value: string }>(
    'SELECT name, pg_catalog.current_setting(name) AS value FROM pg_catalog.unnest($1::text[]) AS name',
    [names],
  );
  await applySettings(client, DUMP_SETTINGS);
  try {
    return await work();
  } finally {
    await applySettings(
      client,
      rows.map((row) => [row.name, row.value] as const),
    ).catch(() => {
      // An aborted transaction refuses set_config; its rollback restores the settings anyway.
    });
  }
}

async function applySettings(client: ClientBase, settings: ReadonlyArray<readonly [string, string]>): Promise<void> {
  await client.query(
    'SELECT pg_catalog.set_config(s.name, s.value, false) FROM unnest($1::pg_catalog.text[], $2::pg_catalog.text[]) AS s(name, value)',
    [settings.map(([name]) => name), settings.map(([, value]) => value)],
  );
}
