import path from 'node:path';
import { ArchiveReader } from '@dbbackup/archive';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreDatabase } from '../src/restore/restore-database.js';
import {
  backupToFile,
  connection,
  createDatabase,
  databaseFingerprint,
  dropDatabase,
  tempDir,
  uniqueName,
} from './helpers/data-fixtures.js';
import { compareSchemas, loadDataset, PG_DATASETS } from './helpers/index.js';

describe('round trip of the shared PostgreSQL datasets (backup jobs=2 → file → restore --create)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  const created: string[] = [];

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
  });

  afterAll(async () => {
    await Promise.all(created.map(dropDatabase));
    await cleanup();
  });

  it.each(PG_DATASETS)('%s restores identical schema, rows, sequences, matviews and large objects', async (dataset) => {
    const source = await createDatabase(`pgengine_rt_${dataset.replaceAll('-', '_')}`);
    created.push(source);
    await loadDataset(source, dataset);
    const file = path.join(dir, `${dataset}.dbb`);
    const backup = await backupToFile(source, file, { jobs: 2 });
    expect(backup.path).toBe(file);

    const target = uniqueName(`pgengine_rt_dst`);
    created.push(target);
    const reader = await ArchiveReader.open(file);
    try {
      const restored = await restoreDatabase({ connection, reader, database: target, create: true, jobs: 2 });
      expect(restored.rows).toBe(backup.rows);
    } finally {
      await reader.close();
    }
    const [want, got] = await Promise.all([databaseFingerprint(source), databaseFingerprint(target)]);
    expect(got.tables).toEqual(want.tables);
    expect(got.sequences).toEqual(want.sequences);
    expect(got.matviews).toEqual(want.matviews);
    expect(got.largeObjects).toEqual(want.largeObjects);
    const schema = compareSchemas(want.schema, got.schema);
    expect(schema.diff).toBe('');
    expect(schema.equal).toBe(true);
  });
});
