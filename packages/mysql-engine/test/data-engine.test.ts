import { existsSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { ArchiveReader, ArchiveWriter, type EnginePhase } from '@dbbackup/archive';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMysqlEngine } from '../src/index.js';
import { connection, plainArchive, runSql, tableChecksums, tempDir } from './data-fixtures.js';
import { createTempDatabase, type TempDatabase } from './helpers/index.js';

const SOCKET = process.env.MYSQL_UNIX_PORT ?? '/run/mysqld/mysqld.sock';

describe('the DatabaseEngine surface', () => {
  const engine = createMysqlEngine('mariadb');
  let source: TempDatabase;
  const databases: TempDatabase[] = [];

  beforeAll(async () => {
    source = await createTempDatabase();
    await runSql(source.name, [
      'CREATE TABLE users (id int PRIMARY KEY, name varchar(20), KEY (name))',
      "INSERT INTO users SELECT seq, CONCAT('user ', seq) FROM seq_1_to_300",
      'CREATE TABLE orders (id int PRIMARY KEY, user_id int, total decimal(10,2), KEY (user_id))',
      'INSERT INTO orders SELECT seq, 1 + seq % 300, seq / 7 FROM seq_1_to_200',
    ]);
  });

  afterAll(async () => {
    await Promise.all([source, ...databases].map((database) => database?.drop()));
  });

  it('reports the server version, lists databases and estimates sizes', async () => {
    expect(engine.name).toBe('mariadb');
    expect(createMysqlEngine('mysql').name).toBe('mysql');
    const version = await engine.serverVersion(connection);
    expect(version.versionNum).toBeGreaterThanOrEqual(100300);
    expect(version.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(version.banner).toMatch(/MariaDB/);
    const listed = await engine.listDatabases(connection);
    expect(listed.map((database) => database.name)).toContain(source.name);
    expect(listed.map((database) => database.name)).not.toContain('information_schema');
    const estimate = await engine.estimateSize(connection, source.name);
    expect(estimate).toMatchObject({ database: source.name, tables: 2 });
    expect(estimate.totalBytes).toBeGreaterThan(0);
  });

  it('backs up to a file and restores through the engine interface, critical tables first', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const file = path.join(dir, 'engine.dbb');
      const phases: EnginePhase[] = [];
      const backup = await engine.backup({
        connection,
        database: source.name,
        jobs: 2,
        writer: await ArchiveWriter.createFile(file, { ...plainArchive, engine: engine.name }),
        onProgress: (event) => phases.push(event.phase),
      });
      expect(backup).toMatchObject({ tables: 2, rows: 500, path: file });
      expect(phases).toEqual(expect.arrayContaining(['connect', 'schema', 'data', 'done']));
      const target = await createTempDatabase();
      databases.push(target);
      await target.drop();
      const reader = await ArchiveReader.open(file);
      try {
        expect(reader.manifest.engine).toBe('mariadb');
        const restored = await engine.restore({
          connection,
          reader,
          database: target.name,
          create: true,
          jobs: 2,
          mode: 'turbo',
          criticalTables: ['user*'],
        });
        expect(restored).toMatchObject({ created: true, mode: 'safe', tables: 2, rows: 500 });
        expect(restored.criticalTables).toEqual([`${source.name}.users`]);
        expect(restored.criticalReadyMs).toBeGreaterThanOrEqual(0);
        expect(restored.warnings).toEqual([
          'restore mode "turbo" has no MySQL/MariaDB equivalent; restored in safe mode',
        ]);
      } finally {
        await reader.close();
      }
      expect(await tableChecksums(target.name)).toEqual(await tableChecksums(source.name));
    } finally {
      await cleanup();
    }
  });

  it.skipIf(!existsSync(SOCKET))('connects through the server socket and writes to a stream', async () => {
    const viaSocket = await engine.listDatabases({ socket: SOCKET, user: connection.user });
    expect(viaSocket.map((database) => database.name)).toContain(source.name);
    const writer = await ArchiveWriter.create(new PassThrough().resume(), plainArchive);
    const backup = await engine.backup({
      connection: { socket: SOCKET, user: connection.user },
      database: source.name,
      writer,
    });
    expect(backup.rows).toBe(500);
    expect(backup.path).toBeUndefined();
  });
});
