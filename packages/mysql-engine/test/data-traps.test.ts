import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArchiveReader } from '@dbbackup/archive';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArchivedTable } from '../src/archive-layout.js';
import { closeQuietly, connect } from '../src/connection/connect.js';
import { prepareReadSession } from '../src/connection/read-session.js';
import { readServerVersion } from '../src/connection/server-version.js';
import { restoreDatabase } from '../src/restore/restore-database.js';
import { checksumTable } from '../src/verify/table-checksum.js';
import { verifyRestore } from '../src/verify/verify-restore.js';
import {
  backupToFile,
  connection,
  databaseExists,
  rowCounts,
  runSql,
  tableChecksums,
  tempDir,
} from './data-fixtures.js';
import { compareDatabases, createTempDatabase, runSqlFile, type TempDatabase } from './helpers/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const FIXTURE = path.join(here, 'fixtures/mysql-data-traps.sql');

describe('data traps (test/fixtures/mysql-data-traps.sql)', () => {
  let source: TempDatabase;
  let dir: string;
  let cleanup: () => Promise<void>;
  let file: string;
  const dropLater: TempDatabase[] = [];

  beforeAll(async () => {
    source = await createTempDatabase();
    await runSqlFile(source.name, FIXTURE);
    ({ dir, cleanup } = await tempDir());
    file = path.join(dir, 'traps.dbb');
    await backupToFile(source.name, file, { jobs: 2 });
  });

  afterAll(async () => {
    await Promise.all([source, ...dropLater].map((database) => database?.drop()));
    await cleanup();
  });

  it('restores every trap so that CHECKSUM TABLE ... EXTENDED and mariadb-dump cannot tell it from the source', async () => {
    const target = await createTempDatabase();
    dropLater.push(target);
    await target.drop();
    const reader = await ArchiveReader.open(file);
    try {
      await restoreDatabase({ connection, reader, database: target.name, create: true, jobs: 2 });
    } finally {
      await reader.close();
    }
    const [want, got] = await Promise.all([tableChecksums(source.name), tableChecksums(target.name)]);
    expect(Object.keys(want).length).toBeGreaterThan(15);
    expect(got).toEqual(want);
    expect(await rowCounts(target.name)).toEqual(await rowCounts(source.name));
    const schema = await compareDatabases(source.name, target.name);
    expect(schema.diff).toBe('');

    // The verify checksum sees what CHECKSUM TABLE sees: one float bit changed in the copy is a mismatch.
    const reader2 = await ArchiveReader.open(file);
    const session = await connect(connection, target.name);
    try {
      await prepareReadSession(session, (await readServerVersion(session)).info);
      const floats = (reader2.manifest.extra.tables as ArchivedTable[]).find((table) => table.name === 'floats ü')!;
      expect(await checksumTable(session, floats)).toEqual({ rows: floats.rows, checksum: floats.checksum });
      await runSql(target.name, ['UPDATE `floats ü` SET f = f * (1 + 1e-7) WHERE id = 1']);
      expect((await checksumTable(session, floats)).checksum).not.toBe(floats.checksum);
    } finally {
      await closeQuietly(session);
      await reader2.close();
    }
  });

  it('counts the history rows of system-versioned tables in the manifest', async () => {
    const reader = await ArchiveReader.open(file);
    try {
      const tables = reader.manifest.extra.tables as ArchivedTable[];
      expect(tables.find((table) => table.name === 'versioned')).toMatchObject({ rows: 5, allHistory: true });
      expect(tables.find((table) => table.name === 'versioned explicit')).toMatchObject({ rows: 3, allHistory: true });
    } finally {
      await reader.close();
    }
  });

  it('verifyRestore recomputes every table and drops its temporary database', async () => {
    const reader = await ArchiveReader.open(file);
    try {
      const result = await verifyRestore({ connection, reader, jobs: 2 });
      expect(result.tables.filter((table) => !table.ok)).toEqual([]);
      expect(result.ok).toBe(true);
      expect(result.tables.length).toBeGreaterThan(15);
      expect(await databaseExists(result.database)).toBe(false);
    } finally {
      await reader.close();
    }
  });
});
