/**
 * catalog sync, scan and check on real backups: a PostgreSQL archive (verified, with a sidecar), the same database
 * encrypted, a MariaDB archive in a subdirectory, a PostgreSQL SQL script, plus a .partial file, an archive cut off
 * before its manifest and a .sql file dbbackup did not write.
 */
import { copyFile, mkdir, mkdtemp, open, readFile, rm, stat, truncate, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MasterKey } from '@dbbackup/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BackupRecord,
  Catalog,
  checkCatalogFiles,
  type ScannedBackup,
  scanBackupDirectory,
  syncDirectory,
  writeVerificationSidecar,
} from '../src/index.js';
import {
  backupMariadbTo,
  backupPath,
  backupPostgresTo,
  createKeyFile,
  createMariadbDatabase,
  createPostgresDatabase,
  dropMariadbDatabase,
  dropPostgresDatabase,
  keyProviderFor,
  my,
  pg,
  SAMPLE_ROWS,
  sha256Of,
  sqlScriptTo,
  uniqueName,
} from './support/real-backups.js';

const TOTAL_ROWS = SAMPLE_ROWS.items + SAMPLE_ROWS.notes;

describe('catalog sync of a directory of real backups', () => {
  const pgDatabase = uniqueName('catalog_pg');
  const myDatabase = uniqueName('catalog_my');
  let root: string;
  let backups: string;
  let masterKey: MasterKey;
  const files = {} as Record<'pgPlain' | 'pgEncrypted' | 'mariadb' | 'script' | 'partial' | 'cutOff', string>;
  const verifiedAt = ['2026-11-20T10:00:00.000Z', '2026-11-21T10:00:00.000Z'];

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'catalog-sync-'));
    backups = join(root, 'backups');
    await mkdir(join(backups, 'mariadb'), { recursive: true });
    masterKey = await createKeyFile(join(root, 'master.key'));
    createPostgresDatabase(pgDatabase);
    createMariadbDatabase(myDatabase);

    files.pgPlain = backupPath(backups, pgDatabase, new Date('2026-11-20T02:00:00Z'));
    files.pgEncrypted = backupPath(backups, pgDatabase, new Date('2026-11-21T02:00:00Z'));
    files.mariadb = backupPath(join(backups, 'mariadb'), myDatabase, new Date('2026-11-21T03:00:00Z'));
    files.script = backupPath(backups, pgDatabase, new Date('2026-11-22T02:00:00Z'), '.sql.zst');
    await backupPostgresTo(files.pgPlain, pgDatabase);
    await backupPostgresTo(files.pgEncrypted, pgDatabase, masterKey);
    await backupMariadbTo(files.mariadb, myDatabase);
    await sqlScriptTo(files.script, pgDatabase);

    // Two verifications of the plain archive's bytes; the second is the latest.
    const sha256 = await sha256Of(files.pgPlain);
    await writeVerificationSidecar(files.pgPlain, {
      at: verifiedAt[1]!,
      result: 'passed',
      kind: 'deep',
      detail: '5 members, rows recounted',
      sha256,
    });
    await writeVerificationSidecar(files.pgPlain, {
      at: verifiedAt[0]!,
      result: 'passed',
      kind: 'verify',
      detail: null,
      sha256,
    });

    // Not complete backups: being written, and cut off before the manifest (the last member) was written.
    files.partial = `${backupPath(backups, pgDatabase, new Date('2026-11-23T02:00:00Z'))}.partial`;
    await copyFile(files.pgPlain, files.partial);
    files.cutOff = backupPath(backups, 'cutoff', new Date('2026-11-19T02:00:00Z'));
    await copyFile(files.pgPlain, files.cutOff);
    await truncate(files.cutOff, 3 * 512 + 100);
    await writeFile(join(backups, 'notes.sql'), 'SELECT 1;\n');
  });

  afterAll(async () => {
    dropPostgresDatabase(pgDatabase);
    dropMariadbDatabase(myDatabase);
    await rm(root, { recursive: true, force: true });
  });

  async function withCatalog<T>(name: string, work: (catalog: Catalog) => Promise<T>): Promise<T> {
    const catalog = await Catalog.open(join(root, name));
    try {
      return await work(catalog);
    } finally {
      await catalog.close();
    }
  }

  it('scans each file into its state, record and note', async () => {
    const scanned: ScannedBackup[] = [];
    for await (const entry of scanBackupDirectory(backups)) scanned.push(entry);
    const byPath = new Map(scanned.map((entry) => [entry.path, entry]));
    expect([...byPath.keys()].sort()).toEqual(Object.values(files).sort()); // notes.sql and the sidecar are not backups
    expect(byPath.get(files.partial)).toMatchObject({ state: 'partial', record: null });
    expect(byPath.get(files.cutOff)).toMatchObject({ state: 'incomplete', record: null });
    expect(byPath.get(files.pgEncrypted)).toMatchObject({ state: 'complete', readFrom: 'header' });
    expect(byPath.get(files.pgEncrypted)?.note).toMatch(/^encrypted: pass --encryption-key-file/);
    expect(byPath.get(files.pgPlain)?.verificationHistory.map((entry) => entry.at)).toEqual(verifiedAt);
  });

  it('records every complete backup with what its manifest, header or script says', async () => {
    await withCatalog('first.db', async (catalog) => {
      const result = await syncDirectory(catalog, backups);
      expect(result).toMatchObject({ scanned: 6, added: 4, updated: 0 });
      expect(result.skipped.map((entry) => entry.path).sort()).toEqual([files.cutOff, files.partial].sort());
      expect(result.notes).toEqual([expect.stringMatching(/encrypted: pass --encryption-key-file/)]);

      const plain = (await catalog.findBackupByLocation(files.pgPlain))!;
      expect(plain).toMatchObject({
        database: pgDatabase,
        engine: 'postgresql',
        host: pg.host,
        kind: 'single',
        format: 'archive',
        status: 'success',
        encrypted: false,
        compression: 'zstd:3',
        bytes: (await stat(files.pgPlain)).size,
        sha256: await sha256Of(files.pgPlain),
        tables: 2,
        rows: TOTAL_ROWS,
        parentId: null,
        error: null,
        verification: { at: verifiedAt[1], result: 'passed', kind: 'deep', detail: '5 members, rows recounted' },
      });
      expect(plain.consistency).toMatchObject({ lsn: expect.stringMatching(/^[0-9A-F]+\/[0-9A-F]+$/) });
      expect(plain.serverVersion).toMatch(/^\d+/);
      expect(plain.durationMs).toBe(Date.parse(plain.finishedAt!) - Date.parse(plain.startedAt));
      expect(await catalog.verificationHistory(plain.id)).toHaveLength(2);

      // Without the key: what header.json and the file name show, and nothing invented.
      expect(await catalog.findBackupByLocation(files.pgEncrypted)).toMatchObject({
        database: pgDatabase,
        engine: 'postgresql',
        kind: 'single',
        encrypted: true,
        compression: 'zstd:3',
        bytes: (await stat(files.pgEncrypted)).size,
        sha256: await sha256Of(files.pgEncrypted),
        tables: null,
        rows: null,
        consistency: null,
        serverVersion: null,
      });

      expect(await catalog.findBackupByLocation(files.mariadb)).toMatchObject({
        database: myDatabase,
        engine: 'mariadb',
        host: my.host,
        tables: 2,
        rows: TOTAL_ROWS,
        encrypted: false,
      });
      const script = (await catalog.findBackupByLocation(files.script))!;
      expect(script).toMatchObject({
        database: pgDatabase,
        engine: 'postgresql',
        format: 'sql',
        kind: 'single',
        compression: 'zstd',
        startedAt: '2026-11-22T02:00:00.000Z',
        encrypted: false,
        sha256: await sha256Of(files.script),
      });
      expect(script.serverVersion).toBe(plain.serverVersion);
    });
  });

  it('reads encrypted archives fully with the key, and keeps that when a later sync has no key', async () => {
    await withCatalog('keyed.db', async (catalog) => {
      const keyed = await syncDirectory(catalog, backups, { keyProvider: keyProviderFor(masterKey) });
      expect(keyed.notes).toEqual([]);
      const full = (await catalog.findBackupByLocation(files.pgEncrypted))!;
      expect(full).toMatchObject({ encrypted: true, tables: 2, rows: TOTAL_ROWS, host: pg.host });
      expect(full.consistency).toHaveProperty('lsn');

      const again = await syncDirectory(catalog, backups);
      expect(again).toMatchObject({ added: 0, updated: 4 });
      expect(await catalog.findBackupByLocation(files.pgEncrypted)).toEqual(full);
    });
  });

  it('rebuilds the same records, verifications included, after the catalog file is deleted', async () => {
    const withoutIds = (records: BackupRecord[]) =>
      records.map(({ id: _id, ...rest }) => rest).sort((a, b) => a.location.localeCompare(b.location));
    const first = await withCatalog('rebuilt.db', async (catalog) => {
      await syncDirectory(catalog, backups);
      return withoutIds(await catalog.listBackups());
    });
    await unlink(join(root, 'rebuilt.db'));
    const second = await withCatalog('rebuilt.db', async (catalog) => {
      const result = await syncDirectory(catalog, backups);
      expect(result).toMatchObject({ added: 4, updated: 0 });
      const plain = (await catalog.findBackupByLocation(files.pgPlain))!;
      expect((await catalog.verificationHistory(plain.id)).map((entry) => entry.kind)).toEqual(['verify', 'deep']);
      return withoutIds(await catalog.listBackups());
    });
    expect(second).toHaveLength(4);
    expect(second).toEqual(first);
  });

  it('ignores a verification sidecar written for other bytes', async () => {
    const copy = backupPath(join(root, 'copy'), pgDatabase, new Date('2026-11-20T02:00:00Z'));
    await mkdir(join(root, 'copy'));
    await copyFile(files.pgPlain, copy);
    await writeVerificationSidecar(copy, {
      at: '2026-11-22T00:00:00Z',
      result: 'passed',
      kind: 'verify',
      detail: null,
      sha256: 'f'.repeat(64),
    });
    await withCatalog('other-bytes.db', async (catalog) => {
      const result = await syncDirectory(catalog, join(root, 'copy'));
      expect(result.notes).toEqual([expect.stringMatching(/verification file is for other bytes/)]);
      expect((await catalog.findBackupByLocation(copy))?.verification).toBeNull();
    });
  });

  it('check finds a missing file, a changed size and changed bytes of the same size', async () => {
    const checked = join(root, 'checked');
    await mkdir(checked);
    const names = ['a', 'b', 'c', 'd'].map((stem) => backupPath(checked, stem, new Date('2026-11-20T02:00:00Z')));
    for (const name of names) await copyFile(files.pgPlain, name);
    await withCatalog('check.db', async (catalog) => {
      await syncDirectory(catalog, checked);
      expect(await checkCatalogFiles(catalog)).toEqual({ checked: 4, skipped: 0, problems: [] });

      await unlink(names[0]!);
      await writeFile(names[1]!, 'appended', { flag: 'a' });
      const handle = await open(names[2]!, 'r+');
      const middle = Math.floor((await handle.stat()).size / 2);
      const byte = Buffer.alloc(1);
      await handle.read(byte, 0, 1, middle);
      await handle.write(Buffer.from([byte[0]! ^ 0xff]), 0, 1, middle);
      await handle.close();

      const result = await checkCatalogFiles(catalog);
      expect(result.checked).toBe(4);
      expect(result.problems.map(({ location, problem }) => ({ location, problem }))).toEqual([
        { location: names[0], problem: 'missing' },
        { location: names[1], problem: 'size-mismatch' },
        { location: names[2], problem: 'hash-mismatch' },
      ]);
      // Sizes only: the same-size change goes unseen.
      const sizesOnly = await checkCatalogFiles(catalog, { hash: false });
      expect(sizesOnly.problems.map((problem) => problem.problem)).toEqual(['missing', 'size-mismatch']);
    });
    expect((await readFile(names[3]!)).length).toBe((await stat(files.pgPlain)).size);
  });
});
