import { existsSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { ArchiveReader, ArchiveWriter } from '@dbbackup/archive';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertSupportedVersion } from '../src/connection/server-version.js';
import { createPostgresEngine } from '../src/index.js';
import {
  connection,
  createDatabase,
  dropDatabase,
  plainArchive,
  psqlStdin,
  tableFingerprints,
  tempDir,
  uniqueName,
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
    expect(() => assertSupportedVersion(110022)).toThrow('PostgreSQL 11 is not supported; dbbackup needs 12 or newer');
    expect(() => assertSupportedVersion(120000)).not.toThrow();
  });
});
