import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BackupInput, BackupRecord, Catalog } from '@dbbackup/catalog';
import { onTestFinished } from 'vitest';

/** A new directory, removed when the test ends. */
export async function tempDirectory(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'metrics-test-'));
  onTestFinished(() => rm(directory, { recursive: true, force: true }));
  return directory;
}

let counter = 0;

export interface RecordedBackup extends Partial<BackupInput> {
  /** Default 'success'. */
  outcome?: 'success' | 'failed' | 'running';
  durationMs?: number;
  bytes?: number;
  verification?: 'passed' | 'failed';
}

/** Records one backup through the Catalog API, as a backup run would. */
export async function recordBackup(catalog: Catalog, backup: RecordedBackup = {}): Promise<BackupRecord> {
  const { outcome = 'success', durationMs = 60_000, bytes = 100, verification, ...input } = backup;
  counter++;
  const begun = await catalog.beginBackup({
    database: 'shop',
    engine: 'postgresql',
    host: 'db1',
    kind: 'single',
    format: 'archive',
    location: `/backups/metrics-test-${process.pid}-${counter}.dbb.tar`,
    startedAt: '2026-11-20T02:00:00Z',
    encrypted: false,
    compression: 'zstd:3',
    ...input,
  });
  if (outcome === 'running') return begun;
  const finishedAt = new Date(Date.parse(begun.startedAt) + durationMs).toISOString();
  if (outcome === 'failed') return catalog.failBackup(begun.id, 'connection refused', finishedAt);
  const finished = await catalog.finishBackup(begun.id, {
    finishedAt,
    bytes,
    sha256: 'a'.repeat(64),
    consistency: null,
    serverVersion: '15.4',
    tables: 3,
    rows: 10,
  });
  if (verification === undefined) return finished;
  return catalog.recordVerification(begun.id, { at: finishedAt, result: verification, kind: 'verify', detail: null });
}

/** Records one restore that ended (or not) `durationMs` after its start. */
export async function recordRestore(
  catalog: Catalog,
  restore: {
    database: string;
    engine?: string;
    host?: string | null;
    startedAt: string;
    durationMs: number;
    outcome: 'success' | 'failed' | 'running';
  },
): Promise<void> {
  const begun = await catalog.beginRestore({
    backupId: null,
    location: '/backups/somewhere.dbb.tar',
    database: restore.database,
    engine: restore.engine ?? 'postgresql',
    host: restore.host === undefined ? 'db1' : restore.host,
    startedAt: restore.startedAt,
  });
  const finishedAt = new Date(Date.parse(restore.startedAt) + restore.durationMs).toISOString();
  if (restore.outcome === 'success') await catalog.finishRestore(begun.id, { finishedAt, tables: 3, rows: 10 });
  if (restore.outcome === 'failed') await catalog.failRestore(begun.id, 'disk full', finishedAt);
}
