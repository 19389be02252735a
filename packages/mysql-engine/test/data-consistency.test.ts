import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { ArchiveReader, type EngineProgress, type Logger } from '@dbbackup/archive';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArchivedTable, MysqlManifestExtra } from '../src/archive-layout.js';
import { restoreDatabase } from '../src/restore/restore-database.js';
import { verifyRestore } from '../src/verify/verify-restore.js';
import { backupToFile, connection, runSql, tableChecksums, tempDir } from './data-fixtures.js';
import { connect, createTempDatabase, type TempDatabase, withConnection } from './helpers/index.js';

const extraOf = (reader: ArchiveReader) => reader.manifest.extra as unknown as MysqlManifestExtra;
const tableOf = (reader: ArchiveReader, name: string) =>
  (reader.manifest.extra.tables as ArchivedTable[]).find((table) => table.name === name)!;

describe('consistency, concurrent writers and primary-key ranges', () => {
  let source: TempDatabase;
  let dir: string;
  let cleanup: () => Promise<void>;
  const databases: TempDatabase[] = [];

  beforeAll(async () => {
    source = await createTempDatabase();
    // pair_a/pair_b receive one row each per committed transaction; big and the fillers make the backup take a while.
    await runSql(source.name, [
      'CREATE TABLE pair_a (id bigint AUTO_INCREMENT PRIMARY KEY, at datetime(6) DEFAULT NOW(6))',
      'CREATE TABLE pair_b (id bigint AUTO_INCREMENT PRIMARY KEY, at datetime(6) DEFAULT NOW(6))',
      'INSERT INTO pair_a (id) SELECT seq FROM seq_1_to_1000',
      'INSERT INTO pair_b (id) SELECT seq FROM seq_1_to_1000',
      'CREATE TABLE big (id bigint PRIMARY KEY, body varchar(200))',
      `INSERT INTO big SELECT CAST(seq AS SIGNED) - 60000, REPEAT(CHAR(65 + seq % 26), 40 + seq % 60) FROM seq_1_to_120000`,
      'CREATE TABLE huge_keys (id bigint unsigned PRIMARY KEY, v int)',
      'INSERT INTO huge_keys SELECT 18446744073709551615 - seq, seq FROM seq_0_to_49999',
      ...Array.from({ length: 4 }, (_, i) => [
        `CREATE TABLE filler_${i} (id int PRIMARY KEY, payload varchar(200))`,
        `INSERT INTO filler_${i} SELECT seq, REPEAT(MD5(seq), 4) FROM seq_1_to_25000`,
      ]).flat(),
      'ANALYZE TABLE big, huge_keys',
    ]);
    ({ dir, cleanup } = await tempDir());
  });

  afterAll(async () => {
    await Promise.all([source, ...databases].map((database) => database?.drop()));
    await cleanup();
  });

  it('sees one instant while a writer commits into two tables, and the writer is blocked only briefly', async () => {
    const writer = await connect(source.name);
    let writing = true;
    let commits = 0;
    let dataPhase = false;
    let commitsDuringData = 0;
    const loop = (async () => {
      while (writing) {
        await writer.query('START TRANSACTION');
        await writer.query('INSERT INTO pair_a () VALUES ()');
        await writer.query('INSERT INTO pair_b () VALUES ()');
        await writer.query('COMMIT');
        commits++;
        if (dataPhase) commitsDuringData++;
      }
    })();
    try {
      while (commits < 50) await new Promise((resolve) => setTimeout(resolve, 5));
      const file = path.join(dir, 'consistency.dbb');
      const onProgress = (progress: EngineProgress) => {
        if (progress.phase === 'data') dataPhase = true;
      };
      // Small parts make the backup slower and interleave the writer's commits with many reads.
      const backup = await backupToFile(source.name, file, { jobs: 2, partSizeBytes: 256 * 1024, onProgress });
      const commitsAtEnd = commits;
      // The writer kept committing while the backup was still reading data: the global read lock was released.
      expect(commitsDuringData).toBeGreaterThan(0);
      while (commits < commitsAtEnd + 20) await new Promise((resolve) => setTimeout(resolve, 5));
      writing = false;
      await loop;

      const reader = await ArchiveReader.open(file);
      try {
        const finalCounts = await withConnection(source.name, async (client) => {
          const [rows] = await client.query<import('mysql2/promise').RowDataPacket[]>(
            'SELECT (SELECT COUNT(*) FROM pair_a) AS a, (SELECT COUNT(*) FROM pair_b) AS b',
          );
          return { a: Number(rows[0]!.a), b: Number(rows[0]!.b) };
        });
        expect(tableOf(reader, 'pair_a').rows).toBe(tableOf(reader, 'pair_b').rows);
        expect(tableOf(reader, 'pair_a').rows).toBeGreaterThan(1050);
        expect(tableOf(reader, 'pair_a').rows).toBeLessThan(finalCounts.a);
        expect(finalCounts.a).toBe(finalCounts.b);
        const extra = extraOf(reader);
        expect(extra.snapshot.method).toBe('flush-tables-with-read-lock');
        expect(extra.snapshot.lockHeldMs).toBeGreaterThanOrEqual(0);
        expect(extra.snapshot.dataJobs).toBe(2);
        // log_bin is OFF on the test server: no binlog coordinates.
        expect(reader.manifest.consistency).toMatchObject({ binlogFile: null, binlogPosition: null });
        expect(backup.rows).toBeGreaterThan(270000);
      } finally {
        await reader.close();
      }
    } finally {
      writing = false;
      await loop.catch(() => undefined);
      await writer.end();
    }
  });

  it('splits big tables into key ranges and parts that restore to identical rows', async () => {
    const file = path.join(dir, 'split.dbb');
    await backupToFile(source.name, file, { jobs: 2, splitThresholdBytes: 1024 * 1024, partSizeBytes: 512 * 1024 });
    const reader = await ArchiveReader.open(file);
    try {
      for (const [name, rows] of [
        ['big', 120000],
        ['huge_keys', 50000],
      ] as const) {
        const parts = reader.manifest.members.filter((member) => member.kind === 'data' && member.table?.name === name);
        expect(parts.length).toBeGreaterThan(2);
        expect(new Set(parts.map((member) => member.part)).size).toBe(parts.length);
        expect(parts.reduce((sum, member) => sum + (member.rows ?? 0), 0)).toBe(rows);
        expect(tableOf(reader, name)).toMatchObject({ splitColumn: '`id`', parts: parts.length, rows });
      }

      const target = await createTempDatabase();
      databases.push(target);
      await target.drop();
      await restoreDatabase({ connection, reader, database: target.name, create: true, jobs: 2 });
      const [want, got] = await Promise.all([tableChecksums(source.name), tableChecksums(target.name)]);
      expect(got.big).toBe(want.big);
      expect(got.huge_keys).toBe(want.huge_keys);
      const verification = await verifyRestore({ connection, reader, jobs: 2 });
      expect(verification.tables.find((table) => table.name === 'big')).toMatchObject({ ok: true, actualRows: 120000 });
      expect(verification.ok).toBe(true);
    } finally {
      await reader.close();
    }
  });

  it('without the RELOAD privilege falls back to one snapshot connection and says so', async () => {
    const user = `dbb_noreload_${randomBytes(4).toString('hex')}`;
    await withConnection(undefined, async (client) => {
      await client.query(`CREATE USER '${user}'@'%' IDENTIFIED BY ''`);
      await client.query(
        `GRANT SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES ON \`${source.name}\`.* TO '${user}'@'%'`,
      );
    });
    const warnings: string[] = [];
    const logger: Logger = { info: () => undefined, debug: () => undefined, warn: (message) => warnings.push(message) };
    try {
      const file = path.join(dir, 'noreload.dbb');
      const backup = await backupToFile(source.name, file, { jobs: 2, connection: { ...connection, user }, logger });
      expect(warnings.some((message) => /no RELOAD privilege/.test(message))).toBe(true);
      expect(backup.warnings.some((message) => /jobs = 1 for data/.test(message))).toBe(true);
      const reader = await ArchiveReader.open(file);
      try {
        expect(extraOf(reader).snapshot).toMatchObject({ method: 'single-snapshot', lockHeldMs: null, dataJobs: 1 });
        expect(tableOf(reader, 'big').rows).toBe(120000);
      } finally {
        await reader.close();
      }
    } finally {
      await withConnection(undefined, (client) => client.query(`DROP USER IF EXISTS '${user}'@'%'`));
    }
  });
});
