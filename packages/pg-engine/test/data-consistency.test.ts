import path from 'node:path';
import { ArchiveReader } from '@dbbackup/archive';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArchivedTable } from '../src/archive-layout.js';
import { restoreDatabase } from '../src/restore/restore-database.js';
import { verifyRestore } from '../src/verify/verify-restore.js';
import {
  backupToFile,
  connection,
  createDatabase,
  dropDatabase,
  psqlStdin,
  tableFingerprints,
  tempDir,
  uniqueName,
  withClient,
} from './helpers/data-fixtures.js';

const tablesOf = (reader: ArchiveReader) => reader.manifest.extra.tables as ArchivedTable[];

describe('consistency and splitting', () => {
  let source: string;
  let dir: string;
  let cleanup: () => Promise<void>;
  const created: string[] = [];

  beforeAll(async () => {
    source = await createDatabase('pgengine_consistency');
    // pair_a/pair_b receive one row each per committed transaction; the fillers make the backup take a while.
    const fillers = Array.from(
      { length: 6 },
      (_, i) =>
        `CREATE TABLE filler_${i} (id bigint PRIMARY KEY, payload text);
         INSERT INTO filler_${i} SELECT g, repeat(md5(g::text), 4) FROM generate_series(1, 25000) g;`,
    ).join('\n');
    await psqlStdin(
      source,
      `CREATE TABLE pair_a (id bigserial PRIMARY KEY, at timestamptz DEFAULT clock_timestamp());
       CREATE TABLE pair_b (id bigserial PRIMARY KEY, at timestamptz DEFAULT clock_timestamp());
       INSERT INTO pair_a SELECT FROM generate_series(1, 1000);
       INSERT INTO pair_b SELECT FROM generate_series(1, 1000);
       CREATE TABLE big (id bigint PRIMARY KEY, body text);
       INSERT INTO big SELECT g, repeat(chr(65 + g % 26), 40 + g % 60) FROM generate_series(1, 120000) g;
       ${fillers}
       ANALYZE;`,
    );
    ({ dir, cleanup } = await tempDir());
  });

  afterAll(async () => {
    await Promise.all([source, ...created].map(dropDatabase));
    await cleanup();
  });

  it('all workers see one snapshot while a writer commits into two tables at once', async () => {
    const writer = new pg.Client({ ...connection, database: source });
    await writer.connect();
    let writing = true;
    let commits = 0;
    const loop = (async () => {
      while (writing) {
        await writer.query('BEGIN');
        await writer.query('INSERT INTO pair_a DEFAULT VALUES');
        await writer.query('INSERT INTO pair_b DEFAULT VALUES');
        await writer.query('COMMIT');
        commits++;
      }
    })();
    try {
      while (commits < 50) await new Promise((resolve) => setTimeout(resolve, 10));
      const file = path.join(dir, 'consistency.dbb');
      // Small parts make the backup slower and interleave the writer's commits with many COPY reads.
      await backupToFile(source, file, { jobs: 2, partSizeBytes: 256 * 1024 });
      const commitsAtEnd = commits;
      while (commits < commitsAtEnd + 50) await new Promise((resolve) => setTimeout(resolve, 10));
      writing = false;
      await loop;

      const reader = await ArchiveReader.open(file);
      try {
        const rows = (name: string) => tablesOf(reader).find((table) => table.name === name)!.rows;
        const finalCounts = await withClient(source, async (client) => {
          const result = await client.query<{ a: string; b: string }>(
            'SELECT (SELECT count(*) FROM pair_a) AS a, (SELECT count(*) FROM pair_b) AS b',
          );
          return { a: Number(result.rows[0]!.a), b: Number(result.rows[0]!.b) };
        });
        expect(rows('pair_a')).toBe(rows('pair_b'));
        expect(rows('pair_a')).toBeGreaterThan(1050);
        expect(rows('pair_a')).toBeLessThan(finalCounts.a);
        expect(finalCounts.a).toBe(finalCounts.b);
      } finally {
        await reader.close();
      }
    } finally {
      writing = false;
      await loop.catch(() => undefined);
      await writer.end();
    }
  });

  it('splits a big table into ctid ranges and parts that restore to identical rows', async () => {
    const file = path.join(dir, 'split.dbb');
    await backupToFile(source, file, { jobs: 2, splitThresholdBytes: 1024 * 1024, partSizeBytes: 512 * 1024 });
    const reader = await ArchiveReader.open(file);
    try {
      const bigParts = reader.manifest.members.filter(
        (member) => member.kind === 'data' && member.table?.name === 'big',
      );
      expect(bigParts.length).toBeGreaterThan(3);
      expect(new Set(bigParts.map((member) => member.part)).size).toBe(bigParts.length);
      expect(bigParts.reduce((sum, member) => sum + (member.rows ?? 0), 0)).toBe(120000);
      expect(tablesOf(reader).find((table) => table.name === 'big')!.parts).toBe(bigParts.length);

      const database = uniqueName('pgengine_split_dst');
      created.push(database);
      await restoreDatabase({ connection, reader, database, create: true, jobs: 2 });
      const [want, got] = await Promise.all([tableFingerprints(source), tableFingerprints(database)]);
      expect(got['public.big']).toEqual(want['public.big']);
      const verification = await verifyRestore({ connection, reader, jobs: 2 });
      expect(verification.tables.find((table) => table.name === 'big')).toMatchObject({ ok: true, actualRows: 120000 });
      expect(verification.ok).toBe(true);
    } finally {
      await reader.close();
    }
  });
});
