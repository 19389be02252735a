import type { KeyProvider } from '@dbbackup/archive';
import type { Catalog } from '../catalog.js';
import { scanBackupDirectory } from '../scan/scan-backup-directory.js';
import type { ScannedBackup } from '../scan/scanned-backup.js';
import type { BackupInput, BackupOutcome } from '../types.js';

export interface SyncResult {
  scanned: number;
  added: number;
  updated: number;
  skipped: Array<{ path: string; reason: string }>;
  notes: string[];
}

export interface SyncOptions {
  keyProvider?: KeyProvider;
  /** Called before each backup file is read (for progress). */
  onFile?: (path: string) => void;
}

/**
 * `catalog sync DIR`: records every complete backup under `directory` (recursively), inserting or updating by
 * location, with the verifications of its sidecar. Partial, incomplete and unreadable files are skipped with the
 * reason. Entries of files no longer there are left alone (`checkCatalogFiles` reports them).
 */
export async function syncDirectory(
  catalog: Catalog,
  directory: string,
  options: SyncOptions = {},
): Promise<SyncResult> {
  const result: SyncResult = { scanned: 0, added: 0, updated: 0, skipped: [], notes: [] };
  const scan = scanBackupDirectory(directory, {
    ...(options.keyProvider ? { keyProvider: options.keyProvider } : {}),
    ...(options.onFile ? { onFile: options.onFile } : {}),
  });
  for await (const scanned of scan) {
    result.scanned++;
    if (scanned.state !== 'complete' || scanned.record === null) {
      result.skipped.push({
        path: scanned.path,
        reason: `${scanned.state}: ${scanned.note ?? 'not a complete backup'}`,
      });
      continue;
    }
    const record = await keepKnownIdentity(catalog, scanned, scanned.record);
    const { created } = await catalog.upsertBackup({
      ...record,
      status: 'success',
      verification: scanned.verification,
      verifications: scanned.verificationHistory,
    });
    if (created) result.added++;
    else result.updated++;
    if (scanned.note !== null) result.notes.push(`${scanned.path}: ${scanned.note}`);
  }
  return result;
}

/**
 * An encrypted archive read without its key names its database and kind only through its file name, which
 * replaces unsafe characters; when the catalog already knows the backup (it recorded it when it ran, or a sync with
 * the key did), what it knows is kept instead of the guess.
 */
async function keepKnownIdentity(
  catalog: Catalog,
  scanned: ScannedBackup,
  record: BackupInput & Partial<BackupOutcome>,
): Promise<BackupInput & Partial<BackupOutcome>> {
  if (scanned.readFrom !== 'header') return record;
  const known = await catalog.findBackupByLocation(record.location);
  if (!known) return record;
  return {
    ...record,
    database: known.database,
    kind: known.kind,
    host: known.host,
    startedAt: known.startedAt,
    ...(known.finishedAt !== null ? { finishedAt: known.finishedAt } : {}),
  };
}
