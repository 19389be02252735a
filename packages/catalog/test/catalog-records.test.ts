import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  Catalog,
  CatalogOpenError,
  CatalogRecordNotFoundError,
  CatalogVersionError,
  CatalogWriteError,
  InvalidTimeError,
} from '../src/index.js';
import { backupInput, recordBackup, tempCatalog, tempDirectory } from './support/temp-catalog.js';

describe('opening a catalog', () => {
  it('creates the directory (0700) and the file (0600) in WAL mode with foreign keys on', async () => {
    const directory = join(await tempDirectory(), 'a', 'b');
    const catalog = await Catalog.open(join(directory, 'catalog.db'));
    await catalog.beginBackup(backupInput());
    await catalog.close();
    expect((await stat(directory)).mode & 0o777).toBe(0o700);
    expect((await stat(join(directory, 'catalog.db'))).mode & 0o777).toBe(0o600);
    const raw = new Database(join(directory, 'catalog.db'), { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.prepare('SELECT name FROM kysely_migration').all()).toEqual([{ name: '0001-initial' }]);
    raw.close();
    // Reopening finds nothing to migrate and keeps the data.
    const again = await Catalog.open(join(directory, 'catalog.db'));
    expect(await again.listBackups()).toHaveLength(1);
    await again.close();
  });

  it('names the path and --catalog PATH when the file is not a database or cannot be created', async () => {
    const directory = await tempDirectory();
    const notDatabase = join(directory, 'notes.txt');
    await writeFile(notDatabase, 'x'.repeat(4096));
    await expect(Catalog.open(notDatabase)).rejects.toThrow(CatalogOpenError);
    await expect(Catalog.open(notDatabase)).rejects.toThrow(
      `cannot open the backup catalog ${notDatabase}: the file is not a SQLite database; fix the file's permissions or directory, or choose another file with --catalog PATH`,
    );
    // A file where the directory should be.
    await expect(Catalog.open(join(notDatabase, 'catalog.db'))).rejects.toThrow(/--catalog PATH$/);
  });

  it('refuses a catalog written by a newer dbbackup', async () => {
    const path = join(await tempDirectory(), 'catalog.db');
    await (await Catalog.open(path)).close();
    const raw = new Database(path);
    raw.prepare("INSERT INTO kysely_migration (name, timestamp) VALUES ('0099-future', 'x')").run();
    raw.close();
    await expect(Catalog.open(path)).rejects.toThrow(CatalogVersionError);
    await expect(Catalog.open(path)).rejects.toThrow(/written by a newer dbbackup \(schema 0099-future\)/);
  });
});

describe('backup records', () => {
  it('begins running, finishes with its outcome and duration, or fails with the error', async () => {
    const catalog = await tempCatalog();
    const begun = await catalog.beginBackup(backupInput({ startedAt: '2026-11-20T03:00:00+01:00' }));
    expect(begun).toMatchObject({
      status: 'running',
      startedAt: '2026-11-20T02:00:00.000Z',
      finishedAt: null,
      durationMs: null,
      parentId: null,
      verification: null,
    });
    const finished = await catalog.finishBackup(begun.id, {
      finishedAt: '2026-11-20T02:01:30.500Z',
      bytes: 123_456,
      sha256: 'b'.repeat(64),
      consistency: { snapshot: '00000003-1', lsn: '0/1A2B' },
      serverVersion: '15.4',
      tables: 3,
      rows: 5000,
    });
    expect(finished).toMatchObject({
      status: 'success',
      durationMs: 90_500,
      bytes: 123_456,
      consistency: { snapshot: '00000003-1', lsn: '0/1A2B' },
      tables: 3,
      rows: 5000,
    });
    const failed = await recordBackup(catalog, { failed: true, durationMs: 3000 });
    expect(failed).toMatchObject({ status: 'failed', error: 'connection refused', durationMs: 3000, bytes: null });
    expect(await catalog.getBackup(begun.id)).toEqual(finished);
  });

  it('refuses a second backup at the same location and unknown ids', async () => {
    const catalog = await tempCatalog();
    const input = backupInput();
    await catalog.beginBackup(input);
    await expect(catalog.beginBackup(input)).rejects.toThrow(CatalogWriteError);
    await expect(catalog.beginBackup(input)).rejects.toThrow(`already has a backup at ${input.location}`);
    await expect(catalog.failBackup(999, 'x', '2026-11-20T00:00:00Z')).rejects.toThrow(CatalogRecordNotFoundError);
    await expect(catalog.beginBackup(backupInput({ startedAt: 'yesterday' }))).rejects.toThrow(InvalidTimeError);
    await expect(catalog.beginBackup(backupInput({ parentId: 999 }))).rejects.toThrow(/parent backup/);
  });

  it('keeps every verification and shows the latest by time', async () => {
    const catalog = await tempCatalog();
    const backup = await recordBackup(catalog);
    await catalog.recordVerification(backup.id, {
      at: '2026-11-22T00:00:00Z',
      result: 'failed',
      kind: 'deep',
      detail: 'x',
    });
    const record = await catalog.recordVerification(backup.id, {
      at: '2026-11-21T00:00:00Z',
      result: 'passed',
      kind: 'verify',
      detail: null,
    });
    expect(record.verification).toEqual({
      at: '2026-11-22T00:00:00.000Z',
      result: 'failed',
      kind: 'deep',
      detail: 'x',
    });
    expect((await catalog.verificationHistory(backup.id)).map((entry) => entry.kind)).toEqual(['verify', 'deep']);
    await expect(
      catalog.recordVerification(404, { at: '2026-11-21T00:00:00Z', result: 'passed', kind: 'verify', detail: null }),
    ).rejects.toThrow(CatalogRecordNotFoundError);
  });

  it('upserts by location: partial outcomes keep stored fields, verifications are added once', async () => {
    const catalog = await tempCatalog();
    const input = backupInput({ location: '/backups/upsert.dbb.tar' });
    const verification = { at: '2026-11-21T00:00:00Z', result: 'passed', kind: 'verify', detail: null } as const;
    const first = await catalog.upsertBackup({
      ...input,
      status: 'success',
      finishedAt: '2026-11-20T02:10:00Z',
      bytes: 10,
      tables: 4,
      rows: 40,
      verification,
    });
    expect(first.created).toBe(true);
    expect(first.record).toMatchObject({ durationMs: 600_000, tables: 4, rows: 40, verification: { kind: 'verify' } });

    const second = await catalog.upsertBackup({ ...input, status: 'success', bytes: 11, verification });
    expect(second.created).toBe(false);
    expect(second.record).toMatchObject({ id: first.record.id, bytes: 11, tables: 4, rows: 40 });
    expect(await catalog.verificationHistory(first.record.id)).toHaveLength(1);

    // No verification in the input: the stored one stays.
    const third = await catalog.upsertBackup({ ...input, status: 'success', verification: null });
    expect(third.record.verification).toEqual(first.record.verification);
  });

  it('lists with filters, limit and order', async () => {
    const catalog = await tempCatalog();
    await recordBackup(catalog, { database: 'shop', startedAt: '2026-11-01T00:00:00Z' });
    await recordBackup(catalog, { database: 'shop', startedAt: '2026-11-03T00:00:00Z', failed: true });
    await recordBackup(catalog, { database: 'crm', engine: 'mariadb', startedAt: '2026-11-02T00:00:00Z' });
    await recordBackup(catalog, { database: null, kind: 'cluster', startedAt: '2026-11-04T00:00:00Z' });
    const dates = (records: { startedAt: string }[]) => records.map((record) => record.startedAt.slice(0, 10));

    expect(dates(await catalog.listBackups())).toEqual(['2026-11-04', '2026-11-03', '2026-11-02', '2026-11-01']);
    expect(dates(await catalog.listBackups({ order: 'oldest', limit: 2 }))).toEqual(['2026-11-01', '2026-11-02']);
    expect(dates(await catalog.listBackups({ database: 'shop' }))).toEqual(['2026-11-03', '2026-11-01']);
    expect(dates(await catalog.listBackups({ database: 'shop', status: 'success' }))).toEqual(['2026-11-01']);
    expect(dates(await catalog.listBackups({ engine: 'mariadb' }))).toEqual(['2026-11-02']);
    expect(dates(await catalog.listBackups({ kind: 'cluster' }))).toEqual(['2026-11-04']);
    expect(dates(await catalog.listBackups({ after: '2026-11-02', before: '2026-11-04T00:00:00Z' }))).toEqual([
      '2026-11-03',
      '2026-11-02',
    ]);
  });

  it('records restores, linked to their backup', async () => {
    const catalog = await tempCatalog();
    const backup = await recordBackup(catalog);
    const restoreInput = {
      backupId: backup.id,
      location: backup.location,
      database: 'shop_copy',
      engine: 'postgresql',
      host: 'db2',
      startedAt: '2026-11-21T00:00:00Z',
    };
    const restore = await catalog.beginRestore(restoreInput);
    expect(restore).toMatchObject({ status: 'running', backupId: backup.id });
    const finished = await catalog.finishRestore(restore.id, {
      finishedAt: '2026-11-21T00:00:42Z',
      tables: 3,
      rows: 10,
    });
    expect(finished).toMatchObject({ status: 'success', durationMs: 42_000, tables: 3, rows: 10 });
    const other = await catalog.beginRestore({ ...restoreInput, backupId: null, database: 'other' });
    expect(await catalog.failRestore(other.id, 'disk full', '2026-11-21T00:01:00Z')).toMatchObject({
      status: 'failed',
      error: 'disk full',
    });
    expect((await catalog.listRestores()).map((entry) => entry.database)).toEqual(['other', 'shop_copy']);
    expect((await catalog.listRestores({ database: 'shop_copy' })).map((entry) => entry.id)).toEqual([restore.id]);
    expect((await catalog.listRestores({ backupId: backup.id })).map((entry) => entry.id)).toEqual([restore.id]);
    await expect(catalog.beginRestore({ ...restoreInput, backupId: 404 })).rejects.toThrow(CatalogWriteError);
  });

  it('deletes a backup with its verifications; its restores stay, no longer linked', async () => {
    const catalog = await tempCatalog();
    const parent = await recordBackup(catalog);
    const child = await recordBackup(catalog, { parentId: parent.id });
    const kept = await recordBackup(catalog);
    await catalog.recordVerification(parent.id, {
      at: '2026-11-21T00:00:00Z',
      result: 'passed',
      kind: 'verify',
      detail: null,
    });
    await catalog.recordVerification(kept.id, {
      at: '2026-11-21T00:00:00Z',
      result: 'passed',
      kind: 'verify',
      detail: null,
    });
    const restore = await catalog.beginRestore({
      backupId: parent.id,
      location: parent.location,
      database: 'shop_copy',
      engine: 'postgresql',
      host: 'db2',
      startedAt: '2026-11-21T00:00:00Z',
    });

    await catalog.deleteBackup(parent.id);

    expect(await catalog.getBackup(parent.id)).toBeUndefined();
    expect(await catalog.findBackupByLocation(parent.location)).toBeUndefined();
    expect(await catalog.verificationHistory(parent.id)).toEqual([]);
    expect(await catalog.verificationHistory(kept.id)).toHaveLength(1);
    expect((await catalog.getBackup(child.id))?.parentId).toBeNull();
    expect((await catalog.listRestores()).map((entry) => [entry.id, entry.backupId, entry.location])).toEqual([
      [restore.id, null, parent.location],
    ]);
    expect((await catalog.listBackups()).map((record) => record.id).sort()).toEqual([child.id, kept.id].sort());
    await expect(catalog.deleteBackup(parent.id)).rejects.toThrow(CatalogRecordNotFoundError);
  });

  it('reports each (engine, host, database) with its newest and newest successful backup', async () => {
    const catalog = await tempCatalog();
    const good = await recordBackup(catalog, { startedAt: '2026-11-01T00:00:00Z' });
    const bad = await recordBackup(catalog, { startedAt: '2026-11-02T00:00:00Z', failed: true });
    const otherHost = await recordBackup(catalog, { host: null, startedAt: '2026-11-01T00:00:00Z', failed: true });
    const cluster = await recordBackup(catalog, { database: null, kind: 'cluster' });
    const status = await catalog.databaseStatus();
    expect(
      status.map((entry) => [entry.database, entry.host, entry.lastBackup.id, entry.lastSuccess?.id ?? null]),
    ).toEqual([
      [null, 'db1', cluster.id, cluster.id],
      ['shop', null, otherHost.id, null],
      ['shop', 'db1', bad.id, good.id],
    ]);
  });
});
