import path from 'node:path';
import { ArchiveReader, ArchiveWriter } from '@dbbackup/archive';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMysqlEngine } from '../src/mysql-engine.js';
import { restoreDatabase } from '../src/restore/restore-database.js';
import type { SampleSummary } from '../src/sample/sample-plan.js';
import { InvalidSampleError } from '../src/sample/sample-spec.js';
import { connection, plainArchive, rowCounts, tempDir } from './data-fixtures.js';
import { createTempDatabase, loadDataset, type TempDatabase, withConnection } from './helpers/index.js';

const engine = createMysqlEngine('mariadb');

/** Child rows whose foreign key names no parent row, per constraint (LEFT JOIN ... IS NULL). */
async function orphans(database: string): Promise<Record<string, number>> {
  return withConnection(database, async (client) => {
    const [keys] = await client.query<RowDataPacket[]>(
      `SELECT CONSTRAINT_NAME AS name, TABLE_NAME AS child, REFERENCED_TABLE_NAME AS parent,
              GROUP_CONCAT(CONCAT('c.\`', COLUMN_NAME, '\` = p.\`', REFERENCED_COLUMN_NAME, '\`')
                           ORDER BY ORDINAL_POSITION SEPARATOR ' AND ') AS joinOn,
              GROUP_CONCAT(CONCAT('c.\`', COLUMN_NAME, '\` IS NOT NULL') SEPARATOR ' AND ') AS notNull,
              MIN(REFERENCED_COLUMN_NAME) AS anyParentColumn
         FROM information_schema.KEY_COLUMN_USAGE
        WHERE TABLE_SCHEMA = ? AND REFERENCED_TABLE_NAME IS NOT NULL
        GROUP BY CONSTRAINT_NAME, TABLE_NAME, REFERENCED_TABLE_NAME`,
      [database],
    );
    const result: Record<string, number> = {};
    for (const key of keys) {
      const [rows] = await client.query<RowDataPacket[]>(
        `SELECT COUNT(*) AS n FROM \`${key.child}\` c LEFT JOIN \`${key.parent}\` p ON ${key.joinOn}
          WHERE ${key.notNull} AND p.\`${key.anyParentColumn}\` IS NULL`,
      );
      result[String(key.name)] = Number(rows[0]!.n);
    }
    return result;
  });
}

describe('backupSample (sakila)', () => {
  let source: TempDatabase;
  let dir: string;
  let cleanup: () => Promise<void>;
  const targets: TempDatabase[] = [];

  beforeAll(async () => {
    source = await createTempDatabase();
    await loadDataset(source.name, 'sakila');
    ({ dir, cleanup } = await tempDir());
  });
  afterAll(async () => {
    await Promise.all([source, ...targets].map((database) => database?.drop()));
    await cleanup();
  });

  for (const sample of [
    { strategy: 'percent', value: 10 },
    { strategy: 'rows', value: 20 },
  ] as const) {
    it(`${sample.strategy} ${sample.value}: restores fewer rows with every foreign key satisfied`, async () => {
      const file = path.join(dir, `sample-${sample.strategy}.dbb`);
      const writer = await ArchiveWriter.createFile(file, plainArchive);
      const result = await engine.backupSample!({ connection, database: source.name, writer, jobs: 2, sample });
      const summary = result.manifest.extra.sample as SampleSummary;
      expect(summary.strategy).toBe(sample.strategy);
      expect(summary.foreignKeys).toBeGreaterThan(10);
      expect(summary.tables.rental).toBeGreaterThan(0);

      const target = await createTempDatabase();
      targets.push(target);
      await target.drop();
      const reader = await ArchiveReader.open(file);
      try {
        await restoreDatabase({ connection, reader, database: target.name, create: true, jobs: 2 });
      } finally {
        await reader.close();
      }
      const [full, sampled] = await Promise.all([rowCounts(source.name), rowCounts(target.name)]);
      const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
      expect(total(sampled)).toBeLessThan(total(full) / 3);
      expect(sampled.rental).toBeLessThan(full.rental!);
      expect(sampled.rental).toBeGreaterThan(0);
      if (sample.strategy === 'rows') expect(sampled.payment).toBe(20);
      // Counts in the manifest match what was restored.
      for (const [name, rows] of Object.entries(summary.tables)) {
        if (rows !== null) expect(sampled[name]).toBe(rows);
      }
      const broken = await orphans(target.name);
      expect(Object.keys(broken).length).toBeGreaterThan(10);
      expect(Object.values(broken).every((n) => n === 0)).toBe(true);
    });
  }

  it('rejects an impossible sample before reading data', async () => {
    const writer = await ArchiveWriter.createFile(path.join(dir, 'bad.dbb'), plainArchive);
    await expect(
      engine.backupSample!({ connection, database: source.name, writer, sample: { strategy: 'percent', value: 0 } }),
    ).rejects.toThrow(InvalidSampleError);
  });
});
