import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabaseSql, dumpSchema, type MysqlSchemaDump } from '../src/schema/index.js';
import {
  applySchemaDump,
  checksumTables,
  compareDatabases,
  connect,
  createTempDatabase,
  dropDatabase,
  runSqlFile,
  type TempDatabase,
} from './helpers/index.js';

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'mysql-torture.sql');

describe('schema round trip of the torture schema', () => {
  let source: TempDatabase;
  let connection: Connection;
  const restored = new Map<boolean, string>();
  const dumps = new Map<boolean, MysqlSchemaDump>();

  beforeAll(async () => {
    source = await createTempDatabase();
    await runSqlFile(source.name, fixture);
    connection = await connect();
    // A trigger written with the database's name: the restore must create it in the target, not the source.
    await connection.query(
      `CREATE TRIGGER ${source.name}.trg_qualified BEFORE DELETE ON ${source.name}.parent FOR EACH ROW SET @deleted = OLD.id`,
    );
    for (const defer of [false, true]) {
      // As a backup runs it: inside a read-only consistent snapshot.
      await connection.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
      const dump = await dumpSchema(connection, source.name, { deferSecondaryIndexes: defer });
      await connection.query('COMMIT');
      const name = `${source.name}_r${defer ? 'd' : 'p'}`;
      await connection.query(createDatabaseSql(name, dump.database));
      restored.set(defer, name);
      dumps.set(defer, dump);
      const replay = await connect();
      try {
        await applySchemaDump(replay, dump, name);
      } finally {
        await replay.end();
      }
    }
  });

  afterAll(async () => {
    await connection?.end();
    await Promise.all([source?.drop(), ...[...restored.values()].map(dropDatabase)]);
  });

  it.each([false, true])(
    'mariadb-dump cannot tell the replay from the source (deferSecondaryIndexes: %s)',
    async (defer) => {
      const comparison = await compareDatabases(source.name, restored.get(defer) as string);
      expect(comparison.diff).toBe('');
    },
  );

  it('creates the database with the source character set, collation and comment', async () => {
    const show = async (database: string) => {
      const [rows] = await connection.query<RowDataPacket[]>(`SHOW CREATE DATABASE \`${database}\``);
      return String(rows[0]?.['Create Database']).replace(database, 'DB');
    };
    const expected = await show(source.name);
    expect(expected).toContain("COMMENT 'torture, it''s ünïcode'");
    for (const database of restored.values()) expect(await show(database)).toBe(expected);
  });

  it('reports only what it cannot restore exactly', () => {
    const dump = dumps.get(false) as MysqlSchemaDump;
    expect(dump.warnings).toEqual([
      "column `emoji_lost`.`v` has a DEFAULT that SHOW CREATE TABLE prints with '?'; restored as printed",
      'table `merged` (ENGINE=MRG_MyISAM) keeps no rows of its own: its data is not dumped',
    ]);
    expect(dump.tables.find((table) => table.name === 'merged')?.ownsData).toBe(false);
  });

  it('defers only the keys whose late creation keeps SHOW CREATE TABLE unchanged', () => {
    const dump = dumps.get(true) as MysqlSchemaDump;
    const indexSql = (table: string) =>
      dump.postData
        .filter((item) => item.kind === 'index' && item.table === table)
        .flatMap((item) => item.statements)
        .join('\n');
    // k_p backs a foreign key and must stay, so k_a (before it) stays too; k_b (after it) is deferred.
    expect(indexSql('interleaved')).toBe('ALTER TABLE `interleaved` ADD KEY `k_b` (`b`)');
    // One ALTER per FULLTEXT key, after the plain ones.
    expect(indexSql('docs').split('\n')).toEqual([
      'ALTER TABLE `docs` ADD KEY `k_title` (`title`(10))',
      'ALTER TABLE `docs` ADD FULLTEXT KEY `ft_title` (`title`)',
      'ALTER TABLE `docs` ADD FULLTEXT KEY `ft_both` (`title`,`body`)',
    ]);
    // Not deferred: no primary key, system-versioned, not InnoDB.
    for (const table of ['nopk', 'ver_explicit', 'myisam_log']) expect(indexSql(table)).toBe('');
    // The AUTO_INCREMENT column's key stays; the long UNIQUE (hash) key stays.
    expect(indexSql('ai_secondary')).toBe('ALTER TABLE `ai_secondary` ADD KEY `k_c` (`c`)');
    expect(indexSql('idx_opts')).toBe(
      "ALTER TABLE `idx_opts` ADD KEY `k_a` (`a`) IGNORED, ADD KEY `k_b` (`b` DESC) COMMENT 'descending', ADD KEY `k_c` (`c`) USING BTREE",
    );
  });

  it('keeps ENUM/SET members and defaults beyond the BMP that SHOW CREATE TABLE prints as ?', async () => {
    const read = async (database: string) => {
      await connection.query(`DELETE FROM \`${database}\`.emoji_enum`);
      await connection.query(
        `INSERT INTO \`${database}\`.emoji_enum (id, mood, tags) VALUES (1, 'sad 😢', '🎉,b'), (2, DEFAULT, DEFAULT)`,
      );
      const [rows] = await connection.query<RowDataPacket[]>(
        `SELECT id, HEX(mood) AS mood, mood + 0 AS moodIndex, HEX(tags) AS tags, tags + 0 AS tagBits, HEX(v) AS v
           FROM \`${database}\`.emoji_enum ORDER BY id`,
      );
      return rows;
    };
    const expected = await read(source.name);
    expect(expected[1]).toMatchObject({ mood: 'F09F9880', tags: '612CF09F8E89', v: 'F09F998878' });
    for (const database of restored.values()) expect(await read(database)).toEqual(expected);
    for (const database of restored.values()) {
      await connection.query(`INSERT INTO \`${database}\`.emoji_rows (id) VALUES (1)`);
      const [inserted] = await connection.query<RowDataPacket[]>(`SELECT HEX(v) AS v FROM \`${database}\`.emoji_rows`);
      expect(inserted).toEqual([{ v: 'F09F998879' }]);
    }
  });

  it('restores sequence state, trigger order and the qualified trigger into the target', async () => {
    const sequences = ['seq plain', 'seq_cycle', 'seq_desc', 'seq_unused'];
    const sourceChecksums = await checksumTables(connection, source.name);
    const triggerOrder = async (database: string) => {
      const [rows] = await connection.query<RowDataPacket[]>(
        `SELECT TRIGGER_NAME AS name FROM information_schema.TRIGGERS
          WHERE TRIGGER_SCHEMA = ? AND EVENT_OBJECT_TABLE = 'child' ORDER BY ACTION_ORDER`,
        [database],
      );
      return rows.map((row) => row.name);
    };
    // trg_b, then trg_a PRECEDES trg_b, then trg_c FOLLOWS trg_a.
    expect(await triggerOrder(source.name)).toEqual(['trg_a', 'trg_c', 'trg_b']);
    for (const database of restored.values()) {
      const checksums = await checksumTables(connection, database);
      for (const sequence of sequences) expect(checksums.get(sequence)).toBe(sourceChecksums.get(sequence));
      expect(await triggerOrder(database)).toEqual(['trg_a', 'trg_c', 'trg_b']);
      const [qualified] = await connection.query<RowDataPacket[]>(
        `SELECT TRIGGER_SCHEMA AS schemaName FROM information_schema.TRIGGERS WHERE TRIGGER_NAME = 'trg_qualified' ORDER BY 1`,
      );
      expect(qualified.map((row) => row.schemaName).sort()).toEqual([source.name, ...restored.values()].sort());
    }
  });
});
