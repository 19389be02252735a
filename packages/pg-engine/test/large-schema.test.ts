import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimateSize } from '../src/catalog-queries.js';
import { restoreDatabase } from '../src/restore/restore-database.js';
import {
  backupToFile,
  connection,
  createDatabase,
  dropDatabase,
  openArchive,
  psqlStdin,
  tempDir,
  uniqueName,
  withClient,
} from './helpers/data-fixtures.js';
import { compareSchemas, pgDumpSchema } from './helpers/index.js';

const TABLES = 2000;

/**
 * 2,000 tables in two schemas (serial primary key, text and date columns), every 10th with a foreign key to the
 * table before it, every 5th with an index, 1-3 rows each. The DO block commits every 100 tables: creating them
 * all in one transaction would itself run out of lock slots with the default max_locks_per_transaction.
 */
const SOURCE_SQL = `
  CREATE SCHEMA wide;
  DO $$
  DECLARE
    i integer;
    s text;
  BEGIN
    FOR i IN 1..${TABLES} LOOP
      s := CASE WHEN i % 2 = 0 THEN 'wide' ELSE 'public' END;
      EXECUTE format('CREATE TABLE %I.%I (id serial PRIMARY KEY, parent_id integer, name text NOT NULL, created date DEFAULT ''2020-01-01'')', s, 't' || i);
      IF i % 10 = 0 THEN
        EXECUTE format('ALTER TABLE %I.%I ADD FOREIGN KEY (parent_id) REFERENCES %I.%I (id)', s, 't' || i,
                       CASE WHEN (i - 1) % 2 = 0 THEN 'wide' ELSE 'public' END, 't' || (i - 1));
      END IF;
      IF i % 5 = 0 THEN
        EXECUTE format('CREATE INDEX ON %I.%I (name)', s, 't' || i);
      END IF;
      EXECUTE format('INSERT INTO %I.%I (parent_id, name) SELECT CASE WHEN %L THEN 1 END, ''row '' || g FROM generate_series(1, 1 + %s) g',
                     s, 't' || i, i % 10 = 0, i % 3);
      IF i % 100 = 0 THEN COMMIT; END IF;
    END LOOP;
  END $$;`;

/** Every table's row count, in one query. */
async function rowCounts(database: string): Promise<Record<string, number>> {
  return withClient(database, async (client) => {
    const { rows } = await client.query<{ name: string; count: string }>(
      `SELECT format('%I.%I', table_schema, table_name) AS name,
              (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I', table_schema, table_name), false, true, '')))[1]::text AS count
         FROM information_schema.tables
        WHERE table_schema IN ('public', 'wide') AND table_type = 'BASE TABLE'`,
    );
    return Object.fromEntries(rows.map((row) => [row.name, Number(row.count)]));
  });
}

describe(`a schema of ${TABLES} tables`, () => {
  let source: string;
  let dir: string;
  let cleanup: () => Promise<void>;
  const created: string[] = [];
  /** The restored copy of the 2,000 tables. */
  let copy: string | undefined;

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    source = await createDatabase('pgengine_wide');
    await psqlStdin(source, SOURCE_SQL);
  });

  afterAll(async () => {
    await Promise.all([source, ...created].filter(Boolean).map(dropDatabase));
    await cleanup?.();
  });

  it('backs up, restores with create, and pg_dump -s cannot tell the copy from the source', async () => {
    const file = path.join(dir, 'wide.dbb');
    const backup = await backupToFile(source, file);
    expect(backup.tables).toBe(TABLES);

    const target = uniqueName('pgengine_wide_copy');
    created.push(target);
    copy = target;
    const reader = await openArchive(file);
    try {
      // balanced only to keep the test fast; the pre-data batching is the same in every mode.
      const restored = await restoreDatabase({
        connection,
        reader,
        database: target,
        create: true,
        jobs: 2,
        mode: 'balanced',
      });
      expect(restored.tables).toBe(TABLES);
    } finally {
      await reader.close();
    }
    const [want, got] = await Promise.all([pgDumpSchema(source), pgDumpSchema(target)]);
    expect(compareSchemas(want, got).diff).toBe('');
    expect(await rowCounts(target)).toEqual(await rowCounts(source));
  });

  it('--clean drops all of them before restoring another archive', async () => {
    expect(copy).toBeDefined();
    const small = await createDatabase('pgengine_wide_small');
    created.push(small);
    await psqlStdin(small, 'CREATE TABLE t2 (id integer PRIMARY KEY); INSERT INTO t2 VALUES (1);');
    const file = path.join(dir, 'small.dbb');
    await backupToFile(small, file);
    const reader = await openArchive(file);
    try {
      await restoreDatabase({ connection, reader, database: copy!, clean: true, confirm: true, jobs: 2 });
    } finally {
      await reader.close();
    }
    expect(compareSchemas(await pgDumpSchema(small), await pgDumpSchema(copy!)).diff).toBe('');
    expect(await rowCounts(copy!)).toEqual({ 'public.t2': 1 });
  });

  it('estimates rows of never-analysed tables from their size', async () => {
    const estimate = await estimateSize(connection, source);
    expect(estimate.tables).toBe(TABLES);
    expect(estimate.rows).toBeGreaterThan(0);
    expect(estimate.dataBytes).toBeGreaterThan(0);
  });
});
