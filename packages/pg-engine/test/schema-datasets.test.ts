import { afterAll, describe, expect, it } from 'vitest';
import { dumpSchema } from '../src/schema/index.js';
import {
  applySchemaDump,
  compareSchemas,
  createTempDatabase,
  loadDataset,
  PG_DATASETS,
  type PgDatasetName,
  pgDumpSchema,
  type TempDatabase,
  withClient,
} from './helpers/index.js';

/**
 * The schema half's promise: load a sample dataset into A, dump A's schema natively, replay it into an empty B,
 * and `pg_dump -s` must not be able to tell A and B apart.
 */
const datasets: readonly PgDatasetName[] = PG_DATASETS;

describe.concurrent('native schema dump round-trips sample datasets', () => {
  const databases: TempDatabase[] = [];
  const temp = async () => {
    const database = await createTempDatabase();
    databases.push(database);
    return database;
  };
  afterAll(async () => {
    await Promise.all(databases.map((database) => database.drop()));
  });

  for (const dataset of datasets) {
    it(`${dataset}: pg_dump -s of the restored copy equals the source`, async () => {
      const source = await temp();
      const target = await temp();
      await loadDataset(source.name, dataset);
      const dump = await withClient(source.name, (client) => dumpSchema(client));
      await withClient(target.name, (client) => applySchemaDump(client, dump));
      const comparison = compareSchemas(await pgDumpSchema(source.name), await pgDumpSchema(target.name));
      expect(comparison.diff).toBe('');
      expect(dump.warnings).toEqual([]);
    });
  }
});
