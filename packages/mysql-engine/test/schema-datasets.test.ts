import type { Connection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpSchema } from '../src/schema/index.js';
import {
  applySchemaDump,
  compareDatabases,
  connect,
  createTempDatabase,
  loadDataset,
  MARIADB_DATASETS,
  type TempDatabase,
} from './helpers/index.js';

describe.each(MARIADB_DATASETS)('schema round trip of the %s dataset', (dataset) => {
  let source: TempDatabase;
  let connection: Connection;
  const restored: TempDatabase[] = [];

  beforeAll(async () => {
    source = await createTempDatabase();
    await loadDataset(source.name, dataset);
    connection = await connect();
  });

  afterAll(async () => {
    await connection?.end();
    await Promise.all([source?.drop(), ...restored.map((database) => database.drop())]);
  });

  it.each([false, true])('replays into an empty database identically (deferSecondaryIndexes: %s)', async (defer) => {
    const dump = await dumpSchema(connection, source.name, { deferSecondaryIndexes: defer });
    expect(dump.warnings).toEqual([]);
    const target = await createTempDatabase({
      characterSet: dump.database.characterSet,
      collation: dump.database.collation,
    });
    restored.push(target);
    const replay = await connect();
    try {
      await applySchemaDump(replay, dump, target.name);
    } finally {
      await replay.end();
    }
    const comparison = await compareDatabases(source.name, target.name);
    expect(comparison.diff).toBe('');
    if (defer && dataset === 'sakila') expect(dump.postData.some((item) => item.kind === 'index')).toBe(true);
  });
});
