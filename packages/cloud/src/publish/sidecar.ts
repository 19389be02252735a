import { StorageError } from '../errors.js';
import type { StorageBackend } from '../storage-backend.js';

/** The sidecar of archive `<key>` is `<key>.manifest.json`; its presence is what makes the archive published. */
export const SIDECAR_SUFFIX = '.manifest.json';

export function sidecarKeyOf(archiveKey: string): string {
  return `${archiveKey}${SIDECAR_SUFFIX}`;
}

/** What publishBackup writes into the sidecar, plus whatever the caller passed (database, engine, …). */
export interface BackupSidecar {
  /** The archive's key (so a copied sidecar still says what it describes). */
  key: string;
  size: number;
  /** Hex sha256 of the archive's bytes as uploaded. */
  sha256: string;
  /** ISO 8601; the caller's value when it passed one. */
  createdAt: string;
  [field: string]: unknown;
}

/** Reads and parses the sidecar of `archiveKey` (NotFoundError when it has none, i.e. it is not published). */
export async function readBackupSidecar(backend: StorageBackend, archiveKey: string): Promise<BackupSidecar> {
  const key = sidecarKeyOf(archiveKey);
  const chunks: Buffer[] = [];
  for await (const chunk of await backend.get(key)) chunks.push(chunk as Buffer);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (error) {
    throw new StorageError(
      backend.kind,
      'INVALID_SIDECAR',
      `${backend.kind}: ${key} is not valid JSON: re-publish the backup or delete it`,
      {
        cause: error,
      },
    );
  }
  const sidecar = parsed as Partial<BackupSidecar> | null;
  if (
    typeof sidecar !== 'object' ||
    sidecar === null ||
    typeof sidecar.size !== 'number' ||
    typeof sidecar.sha256 !== 'string'
  ) {
    throw new StorageError(
      backend.kind,
      'INVALID_SIDECAR',
      `${backend.kind}: ${key} lacks size/sha256: re-publish the backup or delete it`,
    );
  }
  return sidecar as BackupSidecar;
}
