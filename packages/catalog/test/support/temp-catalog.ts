import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { type BackupInput, Catalog } from '../../src/index.js';

/** A new directory, removed when the test ends. */
export async function tempDirectory(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'catalog-test-'));
  onTestFinished(() => rm(directory, { recursive: true, force: true }));
  return directory;
}

/** A catalog in a new file, closed when the test ends. */
export async function tempCatalog(): Promise<Catalog> {
  const catalog = await Catalog.open(join(await tempDirectory(), 'catalog.db'));
  onTestFinished(() => catalog.close());
  return catalog;
}

let counter = 0;

/** A backup input with defaults; each call gets its own location. */
export function backupInput(overrides: Partial<BackupInput> = {}): BackupInput {
  counter++;
  return {
    database: 'shop',
    engine: 'postgresql',
    host: 'db1',
    kind: 'single',
    format: 'archive',
    location: `/backups/test-${counter}.dbb.tar`,
    startedAt: '2026-11-20T02:00:00Z',
    encrypted: false,
    compression: 'zstd:3',
    ...overrides,
  };
}

/** Records a finished backup: begun at `startedAt`, successful `durationMs` later unless `failed`. */
export async function recordBackup(
  catalog: Catalog,
  input: Partial<BackupInput> & { bytes?: number; failed?: boolean; durationMs?: number } = {},
) {
  const { bytes = 100, failed = false, durationMs = 60_000, ...overrides } = input;
  const begun = await catalog.beginBackup(backupInput(overrides));
  const finishedAt = new Date(Date.parse(begun.startedAt) + durationMs).toISOString();
  if (failed) return catalog.failBackup(begun.id, 'connection refused', finishedAt);
  return catalog.finishBackup(begun.id, {
    finishedAt,
    bytes,
    sha256: 'a'.repeat(64),
    consistency: { lsn: '0/1' },
    serverVersion: '15.4',
    tables: 3,
    rows: 10,
  });
}
