import path from 'node:path';
import { ArchiveReader, ArchiveWriter, type SampleSpec } from '@dbbackup/archive';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PgManifestExtra } from '../src/archive-layout.js';
import { createPostgresEngine } from '../src/postgres-engine.js';
import { InvalidSampleError } from '../src/sample/sample-spec.js';
import {
  connection,
  createDatabase,
  dropDatabase,
  plainArchive,
  psqlStdin,
  tempDir,
  uniqueName,
  withClient,
} from './helpers/data-fixtures.js';
import { loadDataset } from './helpers/index.js';

/**
 * Foreign-key shapes a sample must close over: composite keys with awkward text, a partitioned child without a
 * primary key, a long self-referencing chain, a table without a primary key, a cycle across two tables and quoted
 * names.
 */
const SAMPLE_FIXTURE_SQL = String.raw`
CREATE SCHEMA "Sample Schema";
CREATE TABLE public.region (code text PRIMARY KEY, name text);
INSERT INTO public.region
  SELECT code, 'region ' || i
    FROM unnest(ARRAY['a"b', 'c\d', '{e,f}', 'NULL', 'it''s', 'plain', ' sp ', 'ü']) WITH ORDINALITY AS r(code, i);

CREATE TABLE public.site (a integer, b text, region text NOT NULL REFERENCES public.region, PRIMARY KEY (a, b));
INSERT INTO public.site
  SELECT i, (ARRAY['x,y', 'q"r', 's\t', ''])[1 + i % 4],
         (ARRAY['a"b', 'c\d', '{e,f}', 'NULL', 'it''s', 'plain', ' sp ', 'ü'])[1 + i % 8]
    FROM generate_series(1, 400) i;

CREATE TABLE public.reading (site_a integer, site_b text, at date NOT NULL, v double precision,
  FOREIGN KEY (site_a, site_b) REFERENCES public.site) PARTITION BY RANGE (at);
CREATE TABLE public.reading_2020 PARTITION OF public.reading FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');
CREATE TABLE public.reading_2021 PARTITION OF public.reading FOR VALUES FROM ('2021-01-01') TO ('2022-01-01');
INSERT INTO public.reading
  SELECT 1 + i % 400, (ARRAY['x,y', 'q"r', 's\t', ''])[1 + (1 + i % 400) % 4], DATE '2020-01-01' + i % 700, i / 3.0
    FROM generate_series(1, 6000) i;
-- A half-null reference points nowhere (MATCH SIMPLE).
INSERT INTO public.reading VALUES (NULL, 'no such site', '2020-05-05', 0);

-- A chain: row i references row i + 1, so one sampled row needs every row after it.
CREATE TABLE public.chain (id integer PRIMARY KEY, next_id integer REFERENCES public.chain);
INSERT INTO public.chain SELECT i, CASE WHEN i < 3000 THEN i + 1 END FROM generate_series(1, 3000) i;

-- No primary key: sampled by ctid.
CREATE TABLE public.chain_log (chain_id integer REFERENCES public.chain, note text);
INSERT INTO public.chain_log SELECT 3000 - (i * 7) % 3000, 'log ' || i FROM generate_series(1, 2000) i;

-- A cycle across two tables (like pagila's store and staff).
CREATE TABLE "Sample Schema"."Team" ("Team Id" integer PRIMARY KEY, "Lead" integer);
CREATE TABLE "Sample Schema"."Member" ("Member Id" integer PRIMARY KEY,
  "Team" integer REFERENCES "Sample Schema"."Team");
ALTER TABLE "Sample Schema"."Team" ADD FOREIGN KEY ("Lead") REFERENCES "Sample Schema"."Member";
INSERT INTO "Sample Schema"."Team" SELECT i, NULL FROM generate_series(1, 50) i;
INSERT INTO "Sample Schema"."Member" SELECT i, 1 + (i * 13) % 50 FROM generate_series(1, 1000) i;
UPDATE "Sample Schema"."Team" SET "Lead" = 1 + ("Team Id" * 17) % 1000;
`;

const engine = createPostgresEngine();

/** Row count of every table that holds rows (leaf partitions, not their parents). */
async function rowCounts(database: string): Promise<Record<string, number>> {
  return withClient(database, async (client) => {
    const { rows } = await client.query<{ name: string }>(
      `SELECT format('%I.%I', n.nspname, c.relname) AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`,
    );
    const counts: Record<string, number> = {};
    for (const { name } of rows) {
      const result = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ONLY ${name}`);
      counts[name] = Number(result.rows[0]!.n);
    }
    return counts;
  });
}

/** md5 of every row's text, per table: a restored sample must hold only rows of its source. */
async function rowHashes(database: string): Promise<Record<string, Set<string>>> {
  return withClient(database, async (client) => {
    const { rows } = await client.query<{ name: string }>(
      `SELECT format('%I.%I', n.nspname, c.relname) AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`,
    );
    const hashes: Record<string, Set<string>> = {};
    for (const { name } of rows) {
      const result = await client.query<{ h: string }>(`SELECT md5(t::text) AS h FROM ONLY ${name} t`);
      hashes[name] = new Set(result.rows.map((row) => row.h));
    }
    return hashes;
  });
}

/** Every foreign key of the database, checked row by row: the number of child rows whose parent is missing. */
async function foreignKeyViolations(database: string): Promise<{ checked: number; violations: string[] }> {
  return withClient(database, async (client) => {
    const { rows } = await client.query<{ name: string; child: string; parent: string; fk: string[]; pk: string[] }>(
      `SELECT c.conname AS name, c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent,
              ARRAY(SELECT quote_ident(a.attname) FROM unnest(c.conkey) WITH ORDINALITY k(n, o)
                      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o) AS fk,
              ARRAY(SELECT quote_ident(a.attname) FROM unnest(c.confkey) WITH ORDINALITY k(n, o)
                      JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.o) AS pk
         FROM pg_constraint c WHERE c.contype = 'f' AND c.conparentid = 0`,
    );
    const violations: string[] = [];
    for (const row of rows) {
      const notNull = row.fk.map((column) => `ch.${column} IS NOT NULL`).join(' AND ');
      const match = row.fk.map((column, index) => `pa.${row.pk[index]} = ch.${column}`).join(' AND ');
      const result = await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM ${row.child} ch WHERE ${notNull}
            AND NOT EXISTS (SELECT 1 FROM ${row.parent} pa WHERE ${match})`,
      );
      if (Number(result.rows[0]!.n) > 0) violations.push(`${row.name}: ${result.rows[0]!.n}`);
    }
    return { checked: rows.length, violations };
  });
}

describe('sampled backups (percent and rows) restore with every foreign key intact', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  const sources: Record<'pagila' | 'chinook' | 'fixture', string> = { pagila: '', chinook: '', fixture: '' };
  const created: string[] = [];
  const sourceCounts: Record<string, Record<string, number>> = {};
  const sourceHashes: Record<string, Record<string, Set<string>>> = {};

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    sources.pagila = await createDatabase('pgengine_sample_pagila');
    sources.chinook = await createDatabase('pgengine_sample_chinook');
    sources.fixture = await createDatabase('pgengine_sample_fixture');
    created.push(...Object.values(sources));
    await Promise.all([
      loadDataset(sources.pagila, 'pagila'),
      loadDataset(sources.chinook, 'chinook'),
      psqlStdin(sources.fixture, SAMPLE_FIXTURE_SQL),
    ]);
    for (const source of Object.values(sources)) {
      sourceCounts[source] = await rowCounts(source);
      sourceHashes[source] = await rowHashes(source);
    }
  });

  afterAll(async () => {
    await Promise.all(created.map(dropDatabase));
    await cleanup();
  });

  async function backupSample(source: string, sample: SampleSpec) {
    const file = path.join(dir, `${uniqueName('sample')}.dbb`);
    const writer = await ArchiveWriter.createFile(file, plainArchive);
    const backup = await engine.backupSample!({ connection, database: source, writer, jobs: 2, sample });
    return { file, backup };
  }

  /** Backs up a sample, restores it (post-data creates every FK: a violation fails the restore) and checks it. */
  async function sampleRoundTrip(source: string, sample: SampleSpec) {
    const { file, backup } = await backupSample(source, sample);
    const target = uniqueName('pgengine_sample_dst');
    created.push(target);
    const reader = await ArchiveReader.open(file);
    const extra = reader.manifest.extra as unknown as PgManifestExtra;
    try {
      await engine.restore({ connection, reader, database: target, create: true, jobs: 2 });
    } finally {
      await reader.close();
    }
    const counts = await rowCounts(target);
    const hashes = await rowHashes(target);
    const want = sourceCounts[source]!;
    const total = (record: Record<string, number>) => Object.values(record).reduce((sum, n) => sum + n, 0);
    expect(Object.keys(counts)).toEqual(Object.keys(want));
    for (const [table, count] of Object.entries(counts)) {
      expect(count, table).toBeLessThanOrEqual(want[table]!);
      // Only rows of the source, exactly as they were.
      for (const hash of hashes[table]!) expect(sourceHashes[source]![table]!.has(hash), table).toBe(true);
      // The manifest's per-table rows are what was restored.
      const entry = extra.tables.find(
        (candidate) => `${candidate.qualifiedName}` === table || sameTable(candidate, table),
      );
      expect(entry?.rows, table).toBe(count);
    }
    expect(total(counts)).toBeLessThan(total(want));
    expect(backup.rows).toBe(total(counts));
    const fks = await foreignKeyViolations(target);
    expect(fks.violations).toEqual([]);
    expect(extra.sample).toMatchObject({ strategy: sample.strategy, value: sample.value });
    return { counts, want, extra, fks };
  }

  it.each([
    ['pagila', 'percent', 10],
    ['pagila', 'rows', 50],
    ['chinook', 'percent', 10],
    ['chinook', 'rows', 50],
  ] as const)('%s, %s %d: smaller, restorable, every FK holds', async (dataset, strategy, value) => {
    const { counts, want, fks } = await sampleRoundTrip(sources[dataset], { strategy, value });
    expect(fks.checked).toBeGreaterThan(5);
    const biggest = Object.keys(want).sort((a, b) => want[b]! - want[a]!)[0]!;
    expect(counts[biggest]).toBeLessThan(want[biggest]! / 2);
    if (strategy === 'rows') {
      // Every table keeps at least its own first rows (more when sampled rows elsewhere reference it).
      for (const [table, count] of Object.entries(counts))
        expect(count, table).toBeGreaterThanOrEqual(Math.min(50, want[table]!));
    }
  });

  it('closes over composite keys, partitions, a 3000-row self-reference chain and a cycle in few rounds', async () => {
    const { counts, extra } = await sampleRoundTrip(sources.fixture, { strategy: 'rows', value: 20 });
    expect(counts['public.chain']).toBe(3000); // row 1 needs 2, which needs 3, ...
    expect(counts['public.chain_log']).toBe(20);
    expect(counts['public.reading_2020']).toBe(20);
    expect(counts['public.region']).toBeGreaterThan(1);
    expect(extra.sample!.closureRounds).toBeLessThanOrEqual(6);
    expect(extra.sample!.foreignKeys).toBe(6);
  });

  it('is deterministic: the same data gives the same sample', async () => {
    const first = await backupSample(sources.pagila, { strategy: 'percent', value: 10 });
    const second = await backupSample(sources.pagila, { strategy: 'percent', value: 10 });
    const checksums = async (file: string) => {
      const reader = await ArchiveReader.open(file);
      try {
        const extra = reader.manifest.extra as unknown as PgManifestExtra;
        return extra.tables.map((table) => `${table.qualifiedName} ${table.rows} ${table.checksum}`);
      } finally {
        await reader.close();
      }
    };
    expect(await checksums(second.file)).toEqual(await checksums(first.file));
    expect(second.backup.rows).toBe(first.backup.rows);
  });

  it('refuses impossible samples before touching the server, leaving no partial archive', async () => {
    for (const sample of [
      { strategy: 'percent', value: 0 },
      { strategy: 'percent', value: 101 },
      { strategy: 'rows', value: 2.5 },
      { strategy: 'rows', value: 0 },
      { strategy: 'random', value: 1 },
    ] as SampleSpec[]) {
      const file = path.join(dir, `${uniqueName('bad')}.dbb`);
      const writer = await ArchiveWriter.createFile(file, plainArchive);
      await expect(
        engine.backupSample!({ connection, database: sources.fixture, writer, sample }),
      ).rejects.toBeInstanceOf(InvalidSampleError);
      await expect(ArchiveReader.open(file)).rejects.toThrow();
    }
  });
});

/** `public.reading_2020` (format('%I.%I')) against a manifest table entry. */
function sameTable(entry: { schema: string; name: string }, formatted: string): boolean {
  const quote = (name: string) => (/^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`);
  return `${quote(entry.schema)}.${quote(entry.name)}` === formatted;
}
