import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ArchiveReader } from '@dbbackup/archive';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreDatabase } from '../src/restore/restore-database.js';
import { backupToFile, connection, rowCounts, tableChecksums, tempDir } from './data-fixtures.js';
import {
  clientArguments,
  clientEnvironment,
  compareDatabases,
  createTempDatabase,
  datasetsDir,
  loadDataset,
  MARIADB_DATASETS,
  type TempDatabase,
} from './helpers/index.js';

const run = promisify(execFile);

/** The employees dataset's own check (test_employee_md5.sql): row counts and chained md5 of every table. */
async function employeesMd5Check(database: string): Promise<string> {
  const script = path.join(datasetsDir(), 'employees/mysql/test_employee_md5.sql');
  const client = ['mariadb', ...clientArguments(), '--batch', '--skip-column-names', '"$DB"'].join(' ');
  const { stdout } = await run('bash', ['-o', 'pipefail', '-c', `sed -e '/^USE /d' "$SCRIPT" | ${client}`], {
    env: { ...clientEnvironment(), DB: database, SCRIPT: script },
  });
  return stdout;
}

describe('round trip of the shared MariaDB datasets (backup jobs=2 → file → restore --create jobs=2)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  const databases: TempDatabase[] = [];

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
  });

  afterAll(async () => {
    await Promise.all(databases.map((database) => database.drop()));
    await cleanup();
  });

  it.each(MARIADB_DATASETS)('%s: CHECKSUM TABLE EXTENDED, row counts and mariadb-dump equal', async (dataset) => {
    const source = await createTempDatabase();
    databases.push(source);
    await loadDataset(source.name, dataset);
    const file = path.join(dir, `${dataset}.dbb`);
    const backup = await backupToFile(source.name, file, { jobs: 2 });
    expect(backup.path).toBe(file);

    const target = await createTempDatabase();
    databases.push(target);
    await target.drop();
    const reader = await ArchiveReader.open(file);
    try {
      const restored = await restoreDatabase({ connection, reader, database: target.name, create: true, jobs: 2 });
      expect(restored.rows).toBe(backup.rows);
      expect(restored.created).toBe(true);
    } finally {
      await reader.close();
    }
    const [want, got] = await Promise.all([tableChecksums(source.name), tableChecksums(target.name)]);
    expect(Object.keys(want).length).toBeGreaterThan(0);
    expect(got).toEqual(want);
    const counts = await rowCounts(source.name);
    expect(await rowCounts(target.name)).toEqual(counts);
    expect(backup.rows).toBe(Object.values(counts).reduce((sum, rows) => sum + rows, 0));
    const schema = await compareDatabases(source.name, target.name);
    expect(schema.diff).toBe('');
    expect(schema.equal).toBe(true);
    if (dataset === 'employees') {
      const check = await employeesMd5Check(target.name);
      expect(check).toMatch(/^CRC\tOK$/m);
      expect(check).toMatch(/^count\tOK$/m);
    }
  });
});
