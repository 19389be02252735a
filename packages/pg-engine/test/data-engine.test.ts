import { existsSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { ArchiveReader, ArchiveWriter } from '@dbbackup/archive';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertSupportedVersion } from '../src/connection/server-version.js';
import {
  createPostgresEngine,
  DatabaseNotFoundError,
  databaseCreateSql,
  TargetNotEmptyError,
  UnsupportedServerVersionError,
} from '../src/index.js';
import {
  connection,
  createDatabase,
  dropDatabase,
  plainArchive,
  psqlStdin,
  tableFingerprints,
  tempDir,
  uniqueName,
  withClient,
} from './helpers/data-fixtures.js';

const SOCKET_DIR = process.env.PGSOCKETDIR ?? '/var/run/postgresql';

describe('the DatabaseEngine surface', () => {
  const engine = createPostgresEngine();
  let source: string;
  const created: string[] = [];

  beforeAll(async () => {
    source = await createDatabase('pgengine_engine');
    await psqlStdin(
      source,
      `CREATE TABLE t (id integer PRIMARY KEY, v text); INSERT INTO t SELECT g, 'v' || g FROM generate_series(1, 500) g;`,
    );
  });

  afterAll(async () => {
    await Promise.all([source, ...created].map(dropDatabase));
  });

  it('reports the server version, lists databases and estimates sizes', async () => {
    expect(engine.name).toBe('postgresql');
    const version = await engine.serverVersion(connection);
    expect(version.versionNum).toBeGreaterThanOrEqual(120000);
    expect(version.banner).toMatch(/^PostgreSQL/);
    const databases = await engine.listDatabases(connection);
    expect(databases.map((database) => database.name)).toContain(source);
    const estimate = await engine.estimateSize(connection, source);
    expect(estimate).toMatchObject({ database: source, tables: 1 });
    expect(estimate.totalBytes).toBeGreaterThan(0);
  });

  it('backs up to a stream and restores through the engine interface', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const file = path.join(dir, 'engine.dbb');
      const progress: string[] = [];
      const backup = await engine.backup({
        connection,
        database: source,
        jobs: 2,
        writer: await ArchiveWriter.createFile(file, plainArchive),
        onProgress: (event) => progress.push(event.phase),
      });
      expect(backup).toMatchObject({ tables: 1, rows: 500 });
      expect(progress).toEqual(expect.arrayContaining(['schema', 'data', 'done']));
      const target = uniqueName('pgengine_engine_dst');
      created.push(target);
      const reader = await ArchiveReader.open(file);
      try {
        const restored = await engine.restore({ connection, reader, database: target, create: true });
        expect(restored).toMatchObject({ created: true, mode: 'safe', tables: 1, rows: 500, criticalReadyMs: null });
      } finally {
        await reader.close();
      }
      expect(await tableFingerprints(target)).toEqual(await tableFingerprints(source));
    } finally {
      await cleanup();
    }
  });

  it.skipIf(!existsSync(SOCKET_DIR))('connects through a Unix socket directory or socket file', async () => {
    const viaDirectory = await engine.listDatabases({
      socket: SOCKET_DIR,
      user: connection.user,
      port: connection.port,
    });
    expect(viaDirectory.map((database) => database.name)).toContain(source);
    const socketFile = path.join(SOCKET_DIR, `.s.PGSQL.${connection.port}`);
    const writer = await ArchiveWriter.create(new PassThrough().resume(), plainArchive);
    const backup = await engine.backup({
      connection: { socket: socketFile, user: connection.user },
      database: source,
      writer,
    });
    expect(backup.rows).toBe(500);
  });

  it('refuses servers older than PostgreSQL 12', () => {
    expect(() => assertSupportedVersion(110022)).toThrow(UnsupportedServerVersionError);
    expect(() => assertSupportedVersion(110022)).toThrow('PostgreSQL 11 is not supported; dbbackup needs 12 or newer');
    expect(() => assertSupportedVersion(120000)).not.toThrow();
  });

  it('reports a missing database with one error class, from the connection layer and the schema module', async () => {
    const name = uniqueName('pgengine_missing');
    const state = await engine.targetState!(connection, name);
    expect(state).toMatchObject({ exists: false, empty: false, totalObjects: 0, summary: 'does not exist' });
    await expect(engine.estimateSize(connection, name)).rejects.toThrow(DatabaseNotFoundError);
    const schemaSide = withClient('postgres', (client) => databaseCreateSql(client, name));
    await expect(schemaSide).rejects.toThrow(DatabaseNotFoundError);
    await expect(schemaSide).rejects.toThrow(
      `database "${name}" does not exist on the server; list databases with psql -l or check the name`,
    );
  });

  it('describes a restore target the way the restore judges it', async () => {
    const target = await createDatabase('pgengine_state');
    created.push(target);
    expect(await engine.targetState!(connection, target)).toEqual({
      database: target,
      exists: true,
      empty: true,
      objects: {},
      totalObjects: 0,
      summary: 'no objects',
    });
    // No table at all, which the old check (and estimateSize) would have taken for empty.
    await psqlStdin(
      target,
      `CREATE VIEW v AS SELECT 1 AS one; CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';
       CREATE FUNCTION g() RETURNS int LANGUAGE sql AS 'SELECT 2'; CREATE TYPE pair AS (a int, b int);
       CREATE TYPE mood AS ENUM ('ok'); CREATE SCHEMA extra;`,
    );
    const state = await engine.targetState!(connection, target);
    expect(state).toMatchObject({
      exists: true,
      empty: false,
      objects: { views: 1, functions: 2, types: 2, schemas: 1 },
      totalObjects: 6,
      summary: '1 view, 2 functions, 2 types, 1 schema',
    });
    const { dir, cleanup } = await tempDir();
    try {
      const file = path.join(dir, 'state.dbb');
      await engine.backup({ connection, database: source, writer: await ArchiveWriter.createFile(file, plainArchive) });
      const reader = await ArchiveReader.open(file);
      try {
        const attempt = engine.restore({ connection, reader, database: target });
        await expect(attempt).rejects.toThrow(TargetNotEmptyError);
        await expect(attempt).rejects.toThrow(
          `target database "${target}" is not empty (${state.summary}); pass --confirm`,
        );
      } finally {
        await reader.close();
      }
    } finally {
      await cleanup();
    }
  });

  it('estimates the rows of a table never analysed from its size, and of an analysed one from its statistics', async () => {
    const database = await createDatabase('pgengine_estimate');
    created.push(database);
    // autovacuum off, so nothing analyses the table behind the test's back.
    await psqlStdin(
      database,
      `CREATE TABLE fresh (id integer, label text) WITH (autovacuum_enabled = false);
       INSERT INTO fresh SELECT g, 'label ' || g FROM generate_series(1, 100000) g;`,
    );
    const fresh = await engine.estimateSize(connection, database);
    expect(fresh.tables).toBe(1);
    expect(fresh.dataBytes).toBeGreaterThan(4_000_000);
    // The planner's width guess (32 bytes per text column) is within a factor of two of the truth.
    expect(fresh.rows).toBeGreaterThan(50_000);
    expect(fresh.rows).toBeLessThan(200_000);
    await psqlStdin(
      database,
      'ANALYZE fresh; INSERT INTO fresh SELECT g, $$label$$ FROM generate_series(1, 100000) g;',
    );
    // reltuples/relpages of the analysed 100,000 rows, scaled to the pages the table has now.
    const grown = await engine.estimateSize(connection, database);
    expect(grown.rows).toBeGreaterThan(180_000);
    expect(grown.rows).toBeLessThan(220_000);
  });
});
