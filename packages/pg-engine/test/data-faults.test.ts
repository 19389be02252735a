import { randomBytes } from 'node:crypto';
import { copyFile, open, stat, truncate } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { ArchiveReader, ArchiveWriter, ChecksumMismatchError, IncompleteBackupError } from '@dbbackup/archive';
import { CorruptDataError, createDataKey, WrongKeyError, wrapDataKey } from '@dbbackup/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupDatabase } from '../src/backup/backup-database.js';
import {
  DatabaseNotFoundError,
  IncompleteRestoreError,
  PgConnectionError,
  TargetNotEmptyError,
} from '../src/errors.js';
import { restoreDatabase } from '../src/restore/restore-database.js';
import {
  backupToFile,
  connection,
  createDatabase,
  databaseExists,
  dropDatabase,
  plainArchive,
  psqlStdin,
  tableFingerprints,
  tempDir,
  uniqueName,
  withClient,
} from './helpers/data-fixtures.js';
import { compareSchemas, ensureRoles, pgDumpSchema, runSqlFile } from './helpers/index.js';

const torturePath = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'torture.sql');

const SOURCE_SQL = `
  CREATE TABLE customers (id serial PRIMARY KEY, name text NOT NULL);
  INSERT INTO customers (name) SELECT 'customer ' || g FROM generate_series(1, 5000) g;
  CREATE TABLE invoices (id serial PRIMARY KEY, customer_id integer REFERENCES customers, amount numeric);
  INSERT INTO invoices (customer_id, amount) SELECT 1 + g % 5000, g / 3.0 FROM generate_series(1, 20000) g;`;

/** What the CLI does: open the archive (unwrapping the key), then restore. */
async function openAndRestore(
  file: string,
  database: string,
  options: Partial<Parameters<typeof restoreDatabase>[0]> = {},
  keyProvider?: () => Promise<{ keyId: string; key: Buffer }>,
) {
  const reader = await ArchiveReader.open(file, keyProvider ? { keyProvider } : {});
  try {
    return await restoreDatabase({ connection, reader, database, jobs: 2, ...options });
  } finally {
    await reader.close();
  }
}

describe('fault handling', () => {
  let source: string;
  let dir: string;
  let cleanup: () => Promise<void>;
  let archivePath: string;
  let tamperedPath: string;
  const created: string[] = [];

  beforeAll(async () => {
    source = await createDatabase('pgengine_faults');
    await psqlStdin(source, SOURCE_SQL);
    ({ dir, cleanup } = await tempDir());
    archivePath = path.join(dir, 'good.dbb');
    tamperedPath = path.join(dir, 'tampered.dbb');
    await backupToFile(source, archivePath);
  });

  afterAll(async () => {
    await Promise.all([source, ...created].map(dropDatabase));
    await cleanup();
  });

  it('a wrong key fails before any database is created, naming the key', async () => {
    const master = { keyId: 'right', key: randomBytes(32) };
    const dataKey = createDataKey();
    const file = path.join(dir, 'encrypted.dbb');
    await backupToFile(source, file, {
      archive: { ...plainArchive, encryption: { dataKey, header: wrapDataKey(dataKey, master) } },
    });
    const target = uniqueName('pgengine_wrongkey');
    created.push(target);
    const attempt = openAndRestore(file, target, { create: true }, async () => ({
      keyId: 'right',
      key: randomBytes(32),
    }));
    await expect(attempt).rejects.toThrow(WrongKeyError);
    await expect(attempt).rejects.toThrow(/key/);
    expect(await databaseExists(target)).toBe(false);
  });

  it('a truncated archive is an incomplete backup', async () => {
    const file = path.join(dir, 'truncated.dbb');
    await copyFile(archivePath, file);
    await truncate(file, Math.floor((await stat(file)).size / 2));
    await expect(ArchiveReader.open(file)).rejects.toThrow(IncompleteBackupError);
  });

  it('a tampered data member aborts the COPY and drops the database it created', async () => {
    const file = tamperedPath;
    await copyFile(archivePath, file);
    const reader = await ArchiveReader.open(file);
    const biggest = reader.manifest.members
      .filter((member) => member.kind === 'data')
      .sort((a, b) => b.storedSize - a.storedSize)[0]!;
    await reader.close();
    const handle = await open(file, 'r+');
    const position = biggest.offset + Math.floor(biggest.storedSize / 2);
    const byte = Buffer.alloc(1);
    await handle.read(byte, 0, 1, position);
    byte[0] = byte[0]! ^ 0xff;
    await handle.write(byte, 0, 1, position);
    await handle.close();

    const target = uniqueName('pgengine_tampered');
    created.push(target);
    const failure = await openAndRestore(file, target, { create: true }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(
      failure instanceof ChecksumMismatchError ||
        failure instanceof CorruptDataError ||
        /checksum|corrupt/i.test(String(failure)),
    ).toBe(true);
    expect(await databaseExists(target)).toBe(false);
  });

  it('a damaged member in a restore into an existing database says the target is incomplete', async () => {
    const target = await createDatabase('pgengine_incomplete');
    created.push(target);
    const attempt = openAndRestore(tamperedPath, target);
    await expect(attempt).rejects.toThrow(IncompleteRestoreError);
    await expect(attempt).rejects.toThrow(/the target is incomplete and must be restored again/);
  });

  it('a sink that fails mid-backup fails the backup without hanging', async () => {
    let written = 0;
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        written += chunk.length;
        callback(written > 20_000 ? new Error('disk full (simulated)') : null);
      },
    });
    const writer = await ArchiveWriter.create(sink, plainArchive);
    await expect(
      backupDatabase({ connection, database: source, writer, jobs: 2, partSizeBytes: 64 * 1024 }),
    ).rejects.toThrow(/disk full/);
  });

  it('refuses a non-empty target without confirm and leaves it untouched', async () => {
    const target = await createDatabase('pgengine_nonempty');
    created.push(target);
    await psqlStdin(target, `CREATE TABLE precious (id integer); INSERT INTO precious VALUES (1), (2), (3);`);
    const countObjects = () =>
      withClient(target, async (client) =>
        Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM pg_class')).rows[0]!.n),
      );
    const before = await countObjects();
    const attempt = openAndRestore(archivePath, target);
    await expect(attempt).rejects.toThrow(TargetNotEmptyError);
    await expect(attempt).rejects.toThrow(`target database "${target}" is not empty (1 table); pass --confirm`);
    expect(await countObjects()).toBe(before);
    expect((await tableFingerprints(target))['public.precious']!.rows).toBe(3);
  });

  it('clean + confirm replaces the contents of an existing database', async () => {
    const target = await createDatabase('pgengine_clean');
    created.push(target);
    await psqlStdin(
      target,
      `CREATE TABLE precious (id integer); CREATE TABLE customers (x text); INSERT INTO customers VALUES ('old');`,
    );
    await openAndRestore(archivePath, target, { clean: true, confirm: true });
    const [want, got] = await Promise.all([tableFingerprints(source), tableFingerprints(target)]);
    expect(got).toEqual(want);
  });

  it('clean drops every kind of object the torture schema has (ranges, extensions, identities, partitions, ...)', async () => {
    await ensureRoles(['dbb_test_reader', 'dbb_test_writer', 'dbb_test_owner']);
    const target = await createDatabase('pgengine_clean_torture');
    created.push(target);
    await runSqlFile(target, torturePath);
    await openAndRestore(archivePath, target, { clean: true, confirm: true });
    const [want, got] = await Promise.all([pgDumpSchema(source), pgDumpSchema(target)]);
    expect(compareSchemas(want, got).diff).toBe('');
    expect(await tableFingerprints(target)).toEqual(await tableFingerprints(source));
    const leftovers = await withClient(target, async (client) => {
      const { rows } = await client.query<{ n: number }>(
        `SELECT (SELECT count(*) FROM pg_largeobject_metadata) + (SELECT count(*) FROM pg_event_trigger)
              + (SELECT count(*) FROM pg_extension WHERE extname <> 'plpgsql') AS n`,
      );
      return Number(rows[0]!.n);
    });
    expect(leftovers).toBe(0);
  });

  it('create refuses an existing database and names it', async () => {
    const target = await createDatabase('pgengine_exists');
    created.push(target);
    await expect(openAndRestore(archivePath, target, { create: true })).rejects.toThrow(
      `database "${target}" already exists`,
    );
    expect(await databaseExists(target)).toBe(true);
  });

  it('names host:port when the server is unreachable, and removes the partial archive', async () => {
    const file = path.join(dir, 'unreachable.dbb');
    const writer = await ArchiveWriter.createFile(file, plainArchive);
    const attempt = backupDatabase({
      connection: { host: '127.0.0.1', port: 5999, user: 'postgres' },
      database: 'x',
      writer,
    });
    await expect(attempt).rejects.toThrow(PgConnectionError);
    await expect(attempt).rejects.toThrow(
      'cannot connect to PostgreSQL at 127.0.0.1:5999: connection refused; check --host/--port or that the server is running',
    );
    await expect(stat(`${file}.partial`)).rejects.toThrow();
    await expect(stat(file)).rejects.toThrow();
  });

  it('names a missing source database', async () => {
    const writer = await ArchiveWriter.create(new PassThrough().resume(), plainArchive);
    const name = uniqueName('pgengine_missing');
    const attempt = backupDatabase({ connection, database: name, writer });
    await expect(attempt).rejects.toThrow(DatabaseNotFoundError);
    await expect(attempt).rejects.toThrow(
      `database "${name}" does not exist on ${connection.host}:${connection.port}; list databases with psql -l or check the name`,
    );
  });
});
