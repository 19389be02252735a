import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresEngine } from '../src/postgres-engine.js';
import {
  connection,
  createDatabase,
  databaseFingerprint,
  dropDatabase,
  psql,
  psqlStdin,
  tempDir,
  uniqueName,
  withClient,
} from './helpers/data-fixtures.js';
import { compareSchemas } from './helpers/index.js';

const engine = createPostgresEngine();

const ODD_TABLE = '"Odd Schema"."Tab""le ü select"';

/** A deterministic shuffle of 1..n (a multiplicative step coprime with n), so inserts never come in key order. */
function shuffled(n: number): number[] {
  return Array.from({ length: n }, (_, index) => ((index * 37) % n) + 1);
}

/**
 * Tables whose physical order differs from their primary-key order, plus the cases around them: a composite key
 * declared in another order than its columns, odd identifiers (quotes, spaces, unicode, reserved words), no key,
 * an inheritance child (the parent's COPY must stay ONLY), partitions and a generated column.
 */
const FIXTURE_SQL = `
CREATE TABLE moved (id int PRIMARY KEY, payload text);
INSERT INTO moved SELECT g, 'row ' || g FROM generate_series(1, 200) g;
-- New row versions go behind the untouched rows in the heap: ids 1..20 now come last in a sequential scan.
UPDATE moved SET payload = payload || ' updated' WHERE id <= 20;

CREATE TABLE kid (extra int) INHERITS (moved);
INSERT INTO kid VALUES (1000, 'kid row', 1), (999, 'kid row', 2);

CREATE TABLE composite (a int, b text, c text, PRIMARY KEY (b, a));
INSERT INTO composite VALUES ${shuffled(60)
  .map((n) => `(${n % 3}, 'k${String(n % 20).padStart(2, '0')}', 'c${n}')`)
  .join(', ')};

CREATE SCHEMA "Odd Schema";
CREATE TABLE ${ODD_TABLE} ("quo""te" text, "has space" int, "order" int, "Sélect" text,
  PRIMARY KEY ("order", "has space"));
INSERT INTO ${ODD_TABLE} VALUES ${shuffled(40)
  .map((n) => `('q''${n}"', ${n % 8}, ${n % 5}, 'é ${n}')`)
  .join(', ')};

CREATE TABLE loose (v int);
INSERT INTO loose VALUES (3), (1), (2);

CREATE TABLE part (id int PRIMARY KEY, v text) PARTITION BY RANGE (id);
CREATE TABLE part_low PARTITION OF part FOR VALUES FROM (0) TO (50);
CREATE TABLE part_high PARTITION OF part FOR VALUES FROM (50) TO (100);
INSERT INTO part SELECT g, 'p' || g FROM generate_series(99, 0, -1) g;

CREATE TABLE gen (id int PRIMARY KEY, x int, doubled int GENERATED ALWAYS AS (x * 2) STORED);
INSERT INTO gen (id, x) SELECT g, g FROM generate_series(30, 1, -1) g;
`;

/** The COPY text lines of the table whose `COPY <qualifiedName> (...` block the script holds, split into fields. */
function copyRows(script: string, qualifiedName: string): string[][] {
  const start = script.indexOf(`\nCOPY ${qualifiedName} (`);
  expect(start, `COPY block of ${qualifiedName}`).toBeGreaterThanOrEqual(0);
  const body = script.indexOf('\n', script.indexOf(' FROM stdin;', start)) + 1;
  const end = script.indexOf('\\.\n', body);
  return script
    .slice(body, end)
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split('\t'));
}

function compareKeys(left: (string | number)[], right: (string | number)[]): number {
  for (let index = 0; index < left.length; index++) {
    const a = left[index]!;
    const b = right[index]!;
    if (a !== b) return a < b ? -1 : 1;
  }
  return 0;
}

/** Rows of `column positions` (parsed as numbers where `numeric`) in script order, and the same sorted. */
function keysInOrder(rows: string[][], positions: number[], numeric: boolean[]) {
  const keys = rows.map((row) =>
    positions.map((position, index) => (numeric[index] ? Number(row[position]) : row[position]!)),
  );
  return { actual: keys, sorted: [...keys].sort(compareKeys) };
}

/** Exact contents of every table holding rows itself (partitions and inheritance children separately). */
async function exactRows(database: string): Promise<Record<string, string>> {
  return withClient(database, async (client) => {
    const tables = await client.query<{ name: string }>(
      `SELECT format('%I.%I', n.nspname, c.relname) AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`,
    );
    const result: Record<string, string> = {};
    for (const { name } of tables.rows) {
      const { rows } = await client.query<{ rows: string; md5: string | null }>(
        `SELECT count(*)::text AS rows, md5(string_agg(t::text, E'\\n' ORDER BY t::text)) AS md5 FROM ONLY ${name} t`,
      );
      result[name] = `${rows[0]!.rows}:${rows[0]!.md5}`;
    }
    return result;
  });
}

describe('writeSqlScript with orderByPrimaryKey', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let source: string;
  const created: string[] = [];

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    source = await createDatabase('pgengine_sql_pkorder');
    created.push(source);
    await psqlStdin(source, FIXTURE_SQL);
  });

  afterAll(async () => {
    await Promise.all(created.map(dropDatabase));
    await cleanup();
  });

  async function script(name: string, orderByPrimaryKey: boolean | undefined): Promise<string> {
    const file = path.join(dir, `${name}.sql`);
    const result = await engine.writeSqlScript!({
      connection,
      database: source,
      sink: createWriteStream(file),
      ...(orderByPrimaryKey === undefined ? {} : { orderByPrimaryKey }),
    });
    expect(result.tables).toBe(8);
    return readFile(file, 'utf8');
  }

  it('leaves the heap order by default, which for the updated table is not key order', async () => {
    const rows = copyRows(await script('default', undefined), 'public.moved');
    const ids = rows.map((row) => Number(row[0]));
    expect(ids.slice(0, 3)).toEqual([21, 22, 23]);
    expect(ids.slice(-20)).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
  });

  it('writes the rows of every table with a primary key in key order, the others in heap order', async () => {
    const text = await script('ordered', true);

    const moved = copyRows(text, 'public.moved');
    expect(moved.map((row) => Number(row[0]))).toEqual(Array.from({ length: 200 }, (_, index) => index + 1));
    expect(moved[0]).toEqual(['1', 'row 1 updated']);
    // ONLY: the inheritance child's rows are not copied into the parent, but on their own (no key, heap order).
    expect(copyRows(text, 'public.kid').map((row) => row[0])).toEqual(['1000', '999']);

    // Key (b, a), columns (a, b, c).
    const composite = keysInOrder(copyRows(text, 'public.composite'), [1, 0], [false, true]);
    expect(composite.actual).toHaveLength(60);
    expect(composite.actual).toEqual(composite.sorted);

    // Key ("order", "has space"), the 3rd and 2nd columns.
    expect(text).toContain(`\nCOPY ${ODD_TABLE} ("quo""te", "has space", "order", "Sélect") FROM stdin;\n`);
    const odd = keysInOrder(copyRows(text, ODD_TABLE), [2, 1], [true, true]);
    expect(odd.actual).toHaveLength(40);
    expect(odd.actual).toEqual(odd.sorted);

    expect(copyRows(text, 'public.loose').map((row) => row[0])).toEqual(['3', '1', '2']);
    expect(copyRows(text, 'public.part_low').map((row) => Number(row[0]))).toEqual(
      Array.from({ length: 50 }, (_, index) => index),
    );
    expect(copyRows(text, 'public.part_high').map((row) => Number(row[0]))).toEqual(
      Array.from({ length: 50 }, (_, index) => index + 50),
    );
    // The generated column is left out of the COPY as before and the server computes it on restore.
    expect(text).toContain('\nCOPY public.gen (id, x) FROM stdin;\n');
    expect(copyRows(text, 'public.gen').map((row) => row[0])).toEqual(
      Array.from({ length: 30 }, (_, index) => String(index + 1)),
    );
  });

  it('restores with psql to the same schema and data as the source', async () => {
    const file = path.join(dir, 'restore.sql');
    await engine.writeSqlScript!({
      connection,
      database: source,
      sink: createWriteStream(file),
      orderByPrimaryKey: true,
    });
    const target = uniqueName('pgengine_sql_pkorder_dst');
    created.push(target);
    await psql('postgres', { sql: `CREATE DATABASE ${target} TEMPLATE template0 ENCODING 'UTF8'` });
    await psql(target, { file });

    const [want, got] = await Promise.all([databaseFingerprint(source), databaseFingerprint(target)]);
    expect(got.tables).toEqual(want.tables);
    expect(got.sequences).toEqual(want.sequences);
    expect(compareSchemas(want.schema, got.schema).diff).toBe('');
    const [wantRows, gotRows] = await Promise.all([exactRows(source), exactRows(target)]);
    expect(Object.keys(wantRows)).toHaveLength(8);
    expect(gotRows).toEqual(wantRows);
  });
});
