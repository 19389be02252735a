import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArchiveReader, ArchiveWriter } from '@dbbackup/archive';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMysqlEngine } from '../src/mysql-engine.js';
import {
  checksumTables,
  compareDatabases,
  connect,
  connectionConfig,
  createTempDatabase,
  dropDatabase,
  runSqlFile,
  type TempDatabase,
  withConnection,
} from './helpers/index.js';

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'mysql-torture.sql');

/** Rows for the tables whose data depends on the schema being exact (history, invisible, emoji members, ...). */
const ROWS = [
  "INSERT INTO emoji_enum VALUES (1, 'sad 😢', '🎉,b', '🙈', 'x'), (2, DEFAULT, DEFAULT, DEFAULT, DEFAULT)",
  'INSERT INTO ver_implicit VALUES (1, 1)',
  'UPDATE ver_implicit SET v = 2',
  'INSERT INTO ver_explicit (id, v) VALUES (1, 1)',
  'UPDATE ver_explicit SET v = 3',
  'INSERT INTO ver_part VALUES (1, 1)',
  'DELETE FROM ver_part',
  `INSERT INTO gen (id, a, h, j) VALUES (1, 5, 9, '{"a": 1}')`,
  "INSERT INTO `we``ird tàble` VALUES (1, 'ü', 1, 2, 3, 4, 5)",
  "INSERT INTO docs VALUES (1, 'hello world', 'body text')",
  "INSERT INTO geo VALUES (1, POINT(1, 2), ST_GeomFromText('POINT(3 4)', 4326))",
  "INSERT INTO mixed_cs (id, l1, u8, u3, bin, b) VALUES (1, 'ÄÖß', '😀', 'é', 0x00ff10, b'11')",
  'INSERT INTO seq_default (v) VALUES (1), (2)',
  "INSERT INTO part_range VALUES (1, '2019-01-01', 1), (2, '2030-01-01', 2)",
  "INSERT INTO myisam_log VALUES ('2020-01-01 00:00:00.123', 'log line')",
  "INSERT INTO times (id, ts3) VALUES (1, '2021-01-01 00:00:00')",
  'INSERT INTO interleaved VALUES (1, 1, 1000, 1)',
  'INSERT INTO tree VALUES (1, NULL), (2, 1)',
  'INSERT INTO compressed_columns (id, b) VALUES (1, REPEAT(0x61, 1000))',
];

describe('torture schema through a full backup and restore (deferred indexes, triggers after data)', () => {
  let source: TempDatabase;
  let target: string;
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(path.join(os.tmpdir(), 'dbb-mysql-schema-'));
    source = await createTempDatabase();
    target = `${source.name}_restored`;
    await runSqlFile(source.name, fixture);
    await withConnection(source.name, async (connection) => {
      for (const statement of ROWS) await connection.query(statement);
    });
  });

  afterAll(async () => {
    await Promise.all([source?.drop(), target ? dropDatabase(target) : undefined]);
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('restores every row (CHECKSUM TABLE EXTENDED) and every definition (mariadb-dump) exactly', async () => {
    const engine = createMysqlEngine('mariadb');
    const config = connectionConfig();
    const connection = { host: String(config.host), port: Number(config.port), user: String(config.user) };
    const file = path.join(directory, 'torture.dbb');
    const writer = await ArchiveWriter.createFile(file, {
      engine: engine.name,
      toolVersion: 'test',
      compression: { algorithm: 'zstd' },
    });
    await engine.backup({ connection, database: source.name, writer, jobs: 2 });
    const reader = await ArchiveReader.open(file);
    try {
      await engine.restore({ connection, reader, database: target, create: true, jobs: 2 });
    } finally {
      await reader.close();
    }

    const checker = await connect();
    try {
      const expected = await checksumTables(checker, source.name);
      expect(expected.get('ver_implicit')).not.toBeNull();
      expect(Object.fromEntries(await checksumTables(checker, target))).toEqual(Object.fromEntries(expected));
    } finally {
      await checker.end();
    }
    const comparison = await compareDatabases(source.name, target);
    expect(comparison.diff).toBe('');
  });
});
