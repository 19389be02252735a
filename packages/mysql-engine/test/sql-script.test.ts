import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createCompressStream } from '@dbbackup/pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSqlScript } from '../src/sql-script/write-sql-script.js';
import { connection, rowCounts, tableChecksums, tempDir } from './data-fixtures.js';
import {
  clientArguments,
  clientEnvironment,
  compareDatabases,
  createTempDatabase,
  loadDataset,
  runSqlFile,
  type TempDatabase,
} from './helpers/index.js';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const TRAPS = path.join(here, 'fixtures/mysql-data-traps.sql');

/** The real client restores the script: `<command> | mariadb <database>`. */
async function restoreWithClient(command: string, database: string, file: string): Promise<void> {
  const client = ['mariadb', ...clientArguments()].join(' ');
  await run('bash', ['-o', 'pipefail', '-c', `${command} "$FILE" | ${client} "$DB"`], {
    env: { ...clientEnvironment(), DB: database, FILE: file },
    maxBuffer: 64 * 1024 * 1024,
  });
}

async function expectSameDatabase(source: string, copy: string): Promise<void> {
  const [want, got] = await Promise.all([tableChecksums(source), tableChecksums(copy)]);
  expect(got).toEqual(want);
  expect(await rowCounts(copy)).toEqual(await rowCounts(source));
  expect((await compareDatabases(source, copy)).diff).toBe('');
}

describe('writeSqlScript', () => {
  const databases: TempDatabase[] = [];
  let dir: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
  });
  afterAll(async () => {
    await Promise.all(databases.map((database) => database.drop()));
    await cleanup();
  });

  async function database(): Promise<TempDatabase> {
    const created = await createTempDatabase();
    databases.push(created);
    return created;
  }

  it('writes the data-traps fixture as a script the mariadb client restores exactly', async () => {
    const source = await database();
    await runSqlFile(source.name, TRAPS);
    const file = path.join(dir, 'traps.sql');
    // Small statements, so tables span several extended INSERTs.
    const result = await writeSqlScript({
      connection,
      database: source.name,
      sink: createWriteStream(file),
      maxInsertBytes: 4096,
    });
    expect(result.tables).toBeGreaterThan(15);
    expect(result.rows).toBeGreaterThan(0);
    const script = await readFile(file, 'utf8');
    expect(result.bytes).toBe(Buffer.byteLength(script));
    expect(script).toMatch(/^INSERT INTO .* VALUES \(.*\),\(/m);

    const copy = await database();
    await restoreWithClient('cat', copy.name, file);
    await expectSameDatabase(source.name, copy.name);
  });

  it('restores sakila (routines, triggers, views) through zstd and the client', async () => {
    const source = await database();
    await loadDataset(source.name, 'sakila');
    const file = path.join(dir, 'sakila.sql.zst');
    const sink = new PassThrough();
    const written = pipeline(sink, createCompressStream({ algorithm: 'zstd', level: 3 }), createWriteStream(file));
    const result = await writeSqlScript({ connection, database: source.name, sink });
    await written;
    expect(result.rows).toBeGreaterThan(40000);

    const copy = await database();
    await restoreWithClient('zstd -dc', copy.name, file);
    await expectSameDatabase(source.name, copy.name);
  });

  it('destroys the sink with the error when the database cannot be read', async () => {
    const sink = new PassThrough();
    sink.resume();
    await expect(writeSqlScript({ connection, database: 'dbb_test_no_such_database', sink })).rejects.toThrow();
    expect(sink.destroyed).toBe(true);
  });
});
