import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { Catalog, CatalogOpenError, CatalogVersionError } from '../src/index.js';
import { backupInput, recordBackup, tempDirectory } from './support/temp-catalog.js';

/** A catalog file with one successful backup of shop, made (and closed) by a writer. */
async function catalogFile(): Promise<string> {
  const path = join(await tempDirectory(), 'catalog.db');
  const writer = await Catalog.open(path);
  await recordBackup(writer, { database: 'shop', bytes: 4096 });
  await writer.close();
  return path;
}

async function openReader(path: string): Promise<Catalog> {
  const reader = await Catalog.openReadOnly(path);
  onTestFinished(() => reader.close());
  return reader;
}

/** A plain SQLite connection to change the file behind the catalog's back. */
function rawConnection(path: string): Database.Database {
  const sqlite = new Database(path);
  onTestFinished(() => {
    sqlite.close();
  });
  return sqlite;
}

describe('Catalog.openReadOnly', () => {
  it('reads what a writer recorded and refuses to write', async () => {
    const path = await catalogFile();
    const before = await readFile(path);
    const reader = await openReader(path);
    expect(reader.readOnly).toBe(true);
    const [backup] = await reader.listBackups();
    expect(backup).toMatchObject({ database: 'shop', status: 'success', bytes: 4096 });

    await expect(reader.beginBackup(backupInput())).rejects.toMatchObject({ code: 'SQLITE_READONLY' });
    await expect(reader.recordVerification(backup!.id, verificationNow())).rejects.toMatchObject({
      code: 'SQLITE_READONLY',
    });
    expect(await reader.listBackups()).toHaveLength(1);
    await reader.close();
    expect(await readFile(path)).toEqual(before);
  });

  it('reads while another connection holds a write transaction, and sees its commit afterwards', async () => {
    const path = await catalogFile();
    const writer = await Catalog.open(path);
    onTestFinished(() => writer.close());
    const reader = await openReader(path);

    // A second writer connection in the middle of a transaction: WAL lets the reader go on with the last commit.
    const sqlite = rawConnection(path);
    sqlite.exec('BEGIN IMMEDIATE');
    sqlite
      .prepare(
        `INSERT INTO backups (database, engine, host, kind, format, location, started_at, status, encrypted, compression)
         VALUES ('pending', 'postgresql', 'db1', 'single', 'archive', '/backups/pending.dbb.tar', '2026-11-21T02:00:00.000Z', 'running', 0, 'zstd:3')`,
      )
      .run();
    expect((await reader.listBackups()).map((record) => record.database)).toEqual(['shop']);
    sqlite.exec('COMMIT');

    await recordBackup(writer, { database: 'orders', startedAt: '2026-11-22T02:00:00Z' });
    const databases = (await reader.listBackups()).map((record) => record.database);
    expect(databases).toEqual(['orders', 'pending', 'shop']);
  });

  it('refuses a missing file without creating it or its directory', async () => {
    const directory = join(await tempDirectory(), 'absent');
    const path = join(directory, 'catalog.db');
    const error = await Catalog.openReadOnly(path).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CatalogOpenError);
    const message = (error as Error).message;
    expect(message).toContain(path);
    expect(message).toContain('does not exist');
    expect(message).toContain(`dbbackup catalog list --catalog ${path}`);
    expect(message).toContain('--catalog PATH');
    expect(message).not.toContain('\n');
    expect(existsSync(directory)).toBe(false);
  });

  it('refuses an empty SQLite file: no catalog tables yet', async () => {
    const path = join(await tempDirectory(), 'catalog.db');
    await writeFile(path, '');
    const error = await Catalog.openReadOnly(path).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CatalogOpenError);
    expect((error as Error).message).toContain('no catalog tables yet');
    expect((error as Error).message).toContain(`dbbackup catalog list --catalog ${path}`);
  });

  it('refuses a file that is not a SQLite database', async () => {
    const path = join(await tempDirectory(), 'catalog.db');
    await writeFile(path, 'this is a text file, not a catalog\n'.repeat(100));
    const error = await Catalog.openReadOnly(path).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CatalogOpenError);
    expect((error as Error).message).toContain('not a SQLite database');
  });

  it('refuses a schema written by a newer dbbackup (CatalogVersionError)', async () => {
    const path = await catalogFile();
    rawConnection(path)
      .prepare('INSERT INTO kysely_migration (name, timestamp) VALUES (?, ?)')
      .run('9999-from-the-future', new Date().toISOString());
    const error = await Catalog.openReadOnly(path).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CatalogVersionError);
    expect((error as Error).message).toContain('9999-from-the-future');
  });

  it('refuses a schema older than this code, saying how to update it', async () => {
    const path = await catalogFile();
    rawConnection(path).prepare('DELETE FROM kysely_migration').run();
    const error = await Catalog.openReadOnly(path).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CatalogOpenError);
    expect((error as Error).message).toContain('older than this dbbackup');
    expect((error as Error).message).toContain('0001-initial');
  });
});

function verificationNow() {
  return { at: new Date().toISOString(), result: 'passed' as const, kind: 'verify' as const, detail: null };
}
