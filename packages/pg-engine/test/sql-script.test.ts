import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createCompressStream } from '@dbbackup/pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresEngine } from '../src/postgres-engine.js';
import { EXACTNESS_FIXTURE_SQL } from './helpers/data-exactness-fixture.js';
import {
  connection,
  createDatabase,
  databaseFingerprint,
  dropDatabase,
  psql,
  psqlStdin,
  tempDir,
  uniqueName,
  withClient,
} from './helpers/data-fixtures.js';
import { compareSchemas, libpqEnvironment, loadDataset, type PgDatasetName } from './helpers/index.js';

const run = promisify(execFile);
const engine = createPostgresEngine();

type Source = PgDatasetName | 'exactness';

/** Rows in every table that holds rows itself (no partitioned parents, no matviews). */
async function tableRows(database: string): Promise<number> {
  return withClient(database, async (client) => {
    const { rows } = await client.query<{ name: string }>(
      `SELECT format('%I.%I', n.nspname, c.relname) AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')`,
    );
    let total = 0;
    for (const { name } of rows) {
      total += Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ONLY ${name}`)).rows[0]!.n);
    }
    return total;
  });
}

async function largeObjectCount(database: string): Promise<number> {
  return withClient(database, async (client) => {
    const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM pg_largeobject_metadata');
    return Number(rows[0]!.n);
  });
}

describe('--dump-format sql: writeSqlScript restores with psql into an identical database', () => {
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

  async function loadSource(source: Source): Promise<string> {
    const database = await createDatabase(`pgengine_sql_${source.replaceAll('-', '_')}`);
    created.push(database);
    if (source === 'exactness') await psqlStdin(database, EXACTNESS_FIXTURE_SQL);
    else await loadDataset(database, source);
    return database;
  }

  async function expectIdentical(source: string, target: string): Promise<void> {
    const [want, got] = await Promise.all([databaseFingerprint(source), databaseFingerprint(target)]);
    expect(got.tables).toEqual(want.tables);
    expect(got.sequences).toEqual(want.sequences);
    expect(got.matviews).toEqual(want.matviews);
    expect(got.largeObjects).toEqual(want.largeObjects);
    expect(compareSchemas(want.schema, got.schema).diff).toBe('');
  }

  it.each(['tricky-types-serde', 'tricky-types-pg-dump', 'pagila', 'exactness'] as const)(
    '%s: psql -f script.sql gives the same schema, rows, sequences, matviews and large objects',
    async (name) => {
      const source = await loadSource(name);
      const file = path.join(dir, `${name}.sql`);
      const result = await engine.writeSqlScript!({ connection, database: source, sink: createWriteStream(file) });
      expect(result.bytes).toBe((await stat(file)).size);
      expect(result.tables).toBeGreaterThan(0);

      const target = uniqueName('pgengine_sql_dst');
      created.push(target);
      await psql('postgres', { sql: `CREATE DATABASE ${target} TEMPLATE template0 ENCODING 'UTF8'` });
      await psql(target, { file });
      await expectIdentical(source, target);
      expect(result.rows).toBe(await tableRows(source));
      if (name === 'exactness') expect(await largeObjectCount(target)).toBe(2);
    },
  );

  it('through the pipeline zstd stage and `zstd -dc | psql`', async () => {
    const source = await loadSource('chinook');
    const file = path.join(dir, 'chinook.sql.zst');
    const compress = createCompressStream({ algorithm: 'zstd' });
    const written = pipeline(compress, createWriteStream(file));
    const result = await engine.writeSqlScript!({ connection, database: source, sink: compress });
    await written;
    expect((await stat(file)).size).toBeLessThan(result.bytes / 2);

    const target = uniqueName('pgengine_sql_zst');
    created.push(target);
    await psql('postgres', { sql: `CREATE DATABASE ${target} TEMPLATE template0 ENCODING 'UTF8'` });
    await run('bash', ['-o', 'pipefail', '-c', `zstd -dc "$FILE" | psql -X -q -v ON_ERROR_STOP=1 -d "$DB"`], {
      env: { ...libpqEnvironment(), FILE: file, DB: target },
      maxBuffer: 64 * 1024 * 1024,
    });
    await expectIdentical(source, target);
  });

  it('fails, and fails the sink, when the output breaks mid-script', async () => {
    const source = await loadSource('chinook');
    let received = 0;
    const sink = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, callback) {
        received += chunk.length;
        callback(received > 200_000 ? new Error('disk full') : null);
      },
    });
    await expect(engine.writeSqlScript!({ connection, database: source, sink })).rejects.toThrow('disk full');
    expect(sink.destroyed).toBe(true);
  });
});
