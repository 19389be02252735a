import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { ArchiveReader, type EngineProgress } from '@dbbackup/archive';
import { createDataKey, wrapDataKey } from '@dbbackup/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreDatabase } from '../src/restore/restore-database.js';
import { verifyRestore } from '../src/verify/verify-restore.js';
import { EXACTNESS_FIXTURE_SQL } from './helpers/data-exactness-fixture.js';
import {
  backupToFile,
  connection,
  createDatabase,
  databaseExists,
  databaseFingerprint,
  dropDatabase,
  plainArchive,
  psqlStdin,
  tablePersistence,
  tempDir,
  uniqueName,
} from './helpers/data-fixtures.js';
import { compareSchemas } from './helpers/index.js';

describe('data exactness, restore modes, encryption, verify-restore, tiered restore', () => {
  let source: string;
  let dir: string;
  let cleanup: () => Promise<void>;
  let archivePath: string;
  let expected: Awaited<ReturnType<typeof databaseFingerprint>>;
  const created: string[] = [];

  beforeAll(async () => {
    source = await createDatabase('pgengine_exact_src');
    await psqlStdin(source, EXACTNESS_FIXTURE_SQL);
    ({ dir, cleanup } = await tempDir());
    archivePath = path.join(dir, 'exact.dbb');
    await backupToFile(source, archivePath, { jobs: 2 });
    expected = await databaseFingerprint(source);
  });

  afterAll(async () => {
    await Promise.all([source, ...created].map(dropDatabase));
    await cleanup();
  });

  async function restoreInto(options: Partial<Parameters<typeof restoreDatabase>[0]> = {}, file = archivePath) {
    const database = uniqueName('pgengine_exact_dst');
    created.push(database);
    const reader = await ArchiveReader.open(file);
    try {
      const result = await restoreDatabase({ connection, reader, database, create: true, jobs: 2, ...options });
      return { database, result };
    } finally {
      await reader.close();
    }
  }

  it('restores every tricky value, sequence, matview state and large object exactly', async () => {
    const { database } = await restoreInto();
    const actual = await databaseFingerprint(database);
    expect(actual.tables).toEqual(expected.tables);
    expect(actual.sequences).toEqual(expected.sequences);
    expect(actual.matviews).toEqual(expected.matviews);
    expect(actual.largeObjects).toEqual(expected.largeObjects);
    expect(compareSchemas(expected.schema, actual.schema).diff).toBe('');
    expect(Object.keys(expected.largeObjects)).toHaveLength(2);
  });

  it('records rows and checksums per table in the manifest', async () => {
    const reader = await ArchiveReader.open(archivePath);
    try {
      const tables = reader.manifest.extra.tables as { schema: string; name: string; rows: number; parts: number }[];
      const exact = tables.find((table) => table.name === 'exact')!;
      expect(exact.rows).toBe(6);
      expect(tables.find((table) => table.name === 'parent_inh')!.rows).toBe(1);
      expect(tables.find((table) => table.name === 'no_columns')!.rows).toBe(2);
      expect(tables.find((table) => table.name === 'measurements')!.rows).toBe(0);
      expect(reader.manifest.consistency).toMatchObject({
        snapshot: expect.any(String),
        lsn: expect.stringMatching(/\//),
      });
    } finally {
      await reader.close();
    }
  });

  it('restores identically in every mode, and turbo ends with every table logged as in the source', async () => {
    const persistence = await tablePersistence(source);
    expect(persistence['public.scratch']).toBe('u');
    for (const mode of ['safe', 'balanced', 'turbo'] as const) {
      const { database, result } = await restoreInto({ mode });
      expect(result.mode).toBe(mode);
      expect((await databaseFingerprint(database)).tables).toEqual(expected.tables);
      expect(await tablePersistence(database)).toEqual(persistence);
    }
  });

  it('round-trips an encrypted, gzip-compressed archive', async () => {
    const master = { keyId: 'test-key', key: randomBytes(32) };
    const dataKey = createDataKey();
    const file = path.join(dir, 'encrypted.dbb');
    await backupToFile(source, file, {
      archive: {
        ...plainArchive,
        compression: { algorithm: 'gzip' },
        encryption: { dataKey, header: wrapDataKey(dataKey, master) },
      },
    });
    const database = uniqueName('pgengine_exact_enc');
    created.push(database);
    const reader = await ArchiveReader.open(file, { keyProvider: async () => master });
    try {
      expect(reader.manifest.encryption).not.toBeNull();
      expect(reader.manifest.compression.algorithm).toBe('gzip');
      await restoreDatabase({ connection, reader, database, create: true, jobs: 2 });
    } finally {
      await reader.close();
    }
    const actual = await databaseFingerprint(database);
    expect(actual.tables).toEqual(expected.tables);
    expect(actual.largeObjects).toEqual(expected.largeObjects);
  });

  it('verify-restore checks every table and always drops its temporary database', async () => {
    const reader = await ArchiveReader.open(archivePath);
    try {
      const result = await verifyRestore({ connection, reader, jobs: 2 });
      expect(result.ok).toBe(true);
      expect(result.database).toMatch(/^dbbackup_verify_/);
      const names = result.tables.map((table) => `${table.schema}.${table.name}`);
      expect(names).toEqual(
        expect.arrayContaining([
          'public.exact',
          'Odd Schema.Mixed "Quoted" Name',
          'public.child_inh',
          'public.empty_table',
        ]),
      );
      expect(result.tables.every((table) => table.ok)).toBe(true);
      expect(result.tables.find((table) => table.name === 'exact')).toMatchObject({ expectedRows: 6, actualRows: 6 });
      expect(await databaseExists(result.database)).toBe(false);
    } finally {
      await reader.close();
    }
  });

  it('tiered restore loads and indexes the critical tables before everything else', async () => {
    const events: string[] = [];
    const { result } = await restoreInto({
      criticalTables: ['orders', 'Odd Schema.Mixed*'],
      onProgress: (progress: EngineProgress) => events.push(`progress ${progress.phase} ${progress.tablesDone}`),
      logger: {
        info: (message) => events.push(`info ${message}`),
        warn: () => undefined,
        debug: () => undefined,
      },
    });
    expect(result.criticalTables.sort()).toEqual(['Odd Schema.Mixed "Quoted" Name', 'public.orders']);
    expect(result.criticalReadyMs).toBeGreaterThan(0);
    expect(result.criticalReadyMs!).toBeLessThanOrEqual(result.durationMs);
    // When the critical tier was reported ready, exactly the two critical tables had their data loaded.
    const readyAt = events.findIndex((event) => event.startsWith('info critical tables restored'));
    expect(readyAt).toBeGreaterThan(0);
    const before = events.slice(0, readyAt).filter((event) => event.startsWith('progress data'));
    expect(before.at(-1)).toBe('progress data 2');
  });
});
