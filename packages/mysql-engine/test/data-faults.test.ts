import { randomBytes } from 'node:crypto';
import { copyFile, open, stat, truncate } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { ArchiveReader, ArchiveWriter, ChecksumMismatchError, IncompleteBackupError } from '@dbbackup/archive';
import { CorruptDataError, createDataKey, WrongKeyError, wrapDataKey } from '@dbbackup/crypto';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupDatabase } from '../src/backup/backup-database.js';
import {
  CleanRequiresConfirmError,
  DatabaseExistsError,
  DatabaseNotFoundError,
  IncompleteRestoreError,
  MysqlConnectionError,
  TargetNotEmptyError,
} from '../src/errors.js';
import { restoreDatabase } from '../src/restore/restore-database.js';
import {
  backupToFile,
  connection,
  databaseExists,
  plainArchive,
  rowCounts,
  runSql,
  tableChecksums,
  tempDir,
} from './data-fixtures.js';
import { createTempDatabase, type TempDatabase, withConnection } from './helpers/index.js';

const SOURCE_SQL = [
  'CREATE TABLE customers (id int AUTO_INCREMENT PRIMARY KEY, name varchar(50) NOT NULL, KEY (name))',
  "INSERT INTO customers (name) SELECT CONCAT('customer ', seq) FROM seq_1_to_5000",
  'CREATE TABLE invoices (id int AUTO_INCREMENT PRIMARY KEY, customer_id int, amount decimal(12,2), FOREIGN KEY (customer_id) REFERENCES customers (id))',
  'INSERT INTO invoices (customer_id, amount) SELECT 1 + seq % 5000, seq / 3 FROM seq_1_to_20000',
];

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

/** A name for a database that does not exist yet (dropped in afterAll should a test create it). */
async function freshName(databases: TempDatabase[]): Promise<string> {
  const database = await createTempDatabase();
  databases.push(database);
  await database.drop();
  return database.name;
}

describe('fault handling', () => {
  let source: TempDatabase;
  let dir: string;
  let cleanup: () => Promise<void>;
  let archivePath: string;
  let tamperedPath: string;
  const databases: TempDatabase[] = [];

  beforeAll(async () => {
    source = await createTempDatabase();
    await runSql(source.name, SOURCE_SQL);
    ({ dir, cleanup } = await tempDir());
    archivePath = path.join(dir, 'good.dbb');
    tamperedPath = path.join(dir, 'tampered.dbb');
    await backupToFile(source.name, archivePath);
  });

  afterAll(async () => {
    await Promise.all([source, ...databases].map((database) => database?.drop()));
    await cleanup();
  });

  it('round-trips an encrypted, gzip-compressed archive, and one without compression', async () => {
    const master = { keyId: 'test', key: randomBytes(32) };
    const dataKey = createDataKey();
    for (const [label, archive] of [
      [
        'encrypted-gzip',
        {
          ...plainArchive,
          compression: { algorithm: 'gzip' as const },
          encryption: { dataKey, header: wrapDataKey(dataKey, master) },
        },
      ],
      ['plain-none', { ...plainArchive, compression: { algorithm: 'none' as const } }],
    ] as const) {
      const file = path.join(dir, `${label}.dbb`);
      await backupToFile(source.name, file, { archive, partSizeBytes: 64 * 1024 });
      const target = await freshName(databases);
      await openAndRestore(file, target, { create: true }, async () => master);
      expect(await tableChecksums(target)).toEqual(await tableChecksums(source.name));
    }
  });

  it('a wrong key fails before any database is created, naming the key', async () => {
    const master = { keyId: 'right', key: randomBytes(32) };
    const dataKey = createDataKey();
    const file = path.join(dir, 'encrypted.dbb');
    await backupToFile(source.name, file, {
      archive: { ...plainArchive, encryption: { dataKey, header: wrapDataKey(dataKey, master) } },
    });
    const target = await freshName(databases);
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

  it('a tampered data member aborts the LOAD DATA and drops the database it created', async () => {
    await copyFile(archivePath, tamperedPath);
    const reader = await ArchiveReader.open(tamperedPath);
    const biggest = reader.manifest.members
      .filter((member) => member.kind === 'data')
      .sort((a, b) => b.storedSize - a.storedSize)[0]!;
    await reader.close();
    const handle = await open(tamperedPath, 'r+');
    const position = biggest.offset + Math.floor(biggest.storedSize / 2);
    const byte = Buffer.alloc(1);
    await handle.read(byte, 0, 1, position);
    byte[0] = byte[0]! ^ 0xff;
    await handle.write(byte, 0, 1, position);
    await handle.close();

    const target = await freshName(databases);
    const failure = await openAndRestore(tamperedPath, target, { create: true }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(
      failure instanceof ChecksumMismatchError ||
        failure instanceof CorruptDataError ||
        /checksum|corrupt/i.test(String(failure)),
    ).toBe(true);
    expect(await databaseExists(target)).toBe(false);
  });

  it('a damaged member in a restore into an existing database rolls it back and says the target is incomplete', async () => {
    const target = await createTempDatabase();
    databases.push(target);
    const attempt = openAndRestore(tamperedPath, target.name);
    await expect(attempt).rejects.toThrow(IncompleteRestoreError);
    await expect(attempt).rejects.toThrow(/the target is incomplete and must be restored again/);
    // The damaged member's transaction was rolled back: no table holds a partial member.
    const reader = await ArchiveReader.open(tamperedPath);
    const damagedTable = reader.manifest.members
      .filter((member) => member.kind === 'data')
      .sort((a, b) => b.storedSize - a.storedSize)[0]!.table!.name;
    await reader.close();
    expect((await rowCounts(target.name))[damagedTable]).toBe(0);
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
      backupDatabase({ connection, database: source.name, writer, jobs: 2, partSizeBytes: 16 * 1024 }),
    ).rejects.toThrow(/disk full/);
  });

  it('refuses a non-empty target without confirm and leaves it untouched', async () => {
    const target = await createTempDatabase();
    databases.push(target);
    await runSql(target.name, ['CREATE TABLE precious (id int)', 'INSERT INTO precious VALUES (1), (2), (3)']);
    const attempt = openAndRestore(archivePath, target.name);
    await expect(attempt).rejects.toThrow(TargetNotEmptyError);
    await expect(attempt).rejects.toThrow(`target database "${target.name}" is not empty (1 tables); pass --confirm`);
    expect(await rowCounts(target.name)).toEqual({ precious: 3 });
  });

  it('clean without confirm is refused; clean + confirm replaces the contents of an existing database', async () => {
    const target = await createTempDatabase();
    databases.push(target);
    await runSql(target.name, [
      'CREATE TABLE precious (id int)',
      'CREATE TABLE customers (x text, y int)',
      "INSERT INTO customers VALUES ('old', 1)",
      'CREATE VIEW old_view AS SELECT 1 AS one',
      'CREATE PROCEDURE old_procedure() SELECT 1',
    ]);
    await expect(openAndRestore(archivePath, target.name, { clean: true })).rejects.toThrow(CleanRequiresConfirmError);
    await openAndRestore(archivePath, target.name, { clean: true, confirm: true });
    expect(await tableChecksums(target.name)).toEqual(await tableChecksums(source.name));
    const leftovers = await withConnection(target.name, async (client) => {
      const [rows] = await client.query<RowDataPacket[]>(
        `SELECT (SELECT COUNT(*) FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ?) +
                (SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?) AS n`,
        [target.name, target.name],
      );
      return Number(rows[0]!.n);
    });
    expect(leftovers).toBe(0);
  });

  it('create refuses an existing database and names it', async () => {
    const target = await createTempDatabase();
    databases.push(target);
    const attempt = openAndRestore(archivePath, target.name, { create: true });
    await expect(attempt).rejects.toThrow(DatabaseExistsError);
    await expect(attempt).rejects.toThrow(`database "${target.name}" already exists`);
    expect(await databaseExists(target.name)).toBe(true);
  });

  it('names host:port when the server is unreachable, and removes the partial archive', async () => {
    const file = path.join(dir, 'unreachable.dbb');
    const writer = await ArchiveWriter.createFile(file, plainArchive);
    const attempt = backupDatabase({
      connection: { host: '127.0.0.1', port: 3399, user: 'root' },
      database: 'x',
      writer,
      flavor: 'mariadb',
    });
    await expect(attempt).rejects.toThrow(MysqlConnectionError);
    await expect(attempt).rejects.toThrow(
      'cannot connect to MariaDB at 127.0.0.1:3399: connection refused; check --host/--port or that the server is running',
    );
    await expect(stat(`${file}.partial`)).rejects.toThrow();
    await expect(stat(file)).rejects.toThrow();
  });

  it('names a missing source database', async () => {
    const writer = await ArchiveWriter.create(new PassThrough().resume(), plainArchive);
    const name = `dbb_missing_${randomBytes(4).toString('hex')}`;
    const attempt = backupDatabase({ connection, database: name, writer });
    await expect(attempt).rejects.toThrow(DatabaseNotFoundError);
    await expect(attempt).rejects.toThrow(
      `database "${name}" does not exist on ${connection.host}:${connection.port}; list databases with SHOW DATABASES or check the name`,
    );
  });

  it('takes the password from MYSQL_PWD only and never puts it in a message', async () => {
    const saved = process.env.MYSQL_PWD;
    process.env.MYSQL_PWD = 'not-the-password-0xC0FFEE';
    try {
      const writer = await ArchiveWriter.create(new PassThrough().resume(), plainArchive);
      const failure = await backupDatabase({ connection, database: source.name, writer }).catch(
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(MysqlConnectionError);
      expect(String(failure)).toMatch(/authentication failed for user "root"; set MYSQL_PWD/);
      expect(String(failure)).not.toContain('0xC0FFEE');
      expect(JSON.stringify(failure)).not.toContain('0xC0FFEE');
    } finally {
      if (saved === undefined) delete process.env.MYSQL_PWD;
      else process.env.MYSQL_PWD = saved;
    }
  });
});
