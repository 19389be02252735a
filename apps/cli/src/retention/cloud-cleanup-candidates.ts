import {
  deletePublishedBackup,
  listPublishedBackups,
  type OpenedStorage,
  readBackupSidecar,
  sidecarKeyOf,
} from '@dbbackup/cloud';
import { folderUriOf } from '../commands/cloud/cloud-storage.js';
import { backupTimeOf, nameFactsOf } from './backup-time.js';
import { type CleanupCandidate, retentionGroupOf } from './cleanup-candidate.js';
import type { SkippedFile } from './local-cleanup-candidates.js';

/** Sidecars are small objects; a few reads at a time keep a long listing quick without flooding the store. */
const SIDECAR_READS_AT_ONCE = 8;

/**
 * The published backups (archive + `.manifest.json` sidecar) directly under the prefix, not in deeper folders:
 * database from the sidecar (else the file name), time per backupTimeOf (the name's stamp, else the sidecar's
 * createdAt). Unpublished objects are what interrupted uploads left: `cloud cleanup-incomplete` deals with them.
 */
export async function cloudCleanupCandidates(
  opened: OpenedStorage,
  onObject: (key: string) => void,
): Promise<{ candidates: CleanupCandidate[]; skipped: SkippedFile[] }> {
  const { backend, prefix } = opened;
  const folder = folderUriOf(opened);
  const published = (await listPublishedBackups(backend, prefix)).filter(({ archive }) =>
    isDirectChild(prefix, archive.key),
  );
  const candidates: CleanupCandidate[] = [];
  const skipped: SkippedFile[] = [];
  for (let start = 0; start < published.length; start += SIDECAR_READS_AT_ONCE) {
    const batch = published.slice(start, start + SIDECAR_READS_AT_ONCE);
    const read = await Promise.all(
      batch.map(async ({ archive }): Promise<{ candidate: CleanupCandidate } | { skipped: SkippedFile }> => {
        onObject(archive.key);
        const name = archive.key.slice(prefix.length);
        const location = `${folder}${name}`;
        try {
          const sidecar = await readBackupSidecar(backend, archive.key);
          const facts = nameFactsOf(name);
          const database = typeof sidecar.database === 'string' ? sidecar.database : facts.database;
          const recorded = typeof sidecar.createdAt === 'string' ? sidecar.createdAt : archive.modifiedAt.toISOString();
          return {
            candidate: {
              location,
              database,
              group: retentionGroupOf(database, facts.kind),
              timestamp: backupTimeOf(name, recorded),
              status: 'success',
              bytes: archive.size,
              remove: () => removePublished(opened, archive.key),
            },
          };
        } catch (error) {
          return { skipped: { location, reason: `sidecar unreadable, left alone: ${(error as Error).message}` } };
        }
      }),
    );
    for (const entry of read) {
      if ('candidate' in entry) candidates.push(entry.candidate);
      else skipped.push(entry.skipped);
    }
  }
  return { candidates, skipped };
}

function isDirectChild(prefix: string, key: string): boolean {
  return key.startsWith(prefix) && key.length > prefix.length && !key.slice(prefix.length).includes('/');
}

/** Sidecar first (the backup stops being listed at once), then the archive; never a key outside the prefix. */
async function removePublished(opened: OpenedStorage, key: string): Promise<string[]> {
  if (!isDirectChild(opened.prefix, key)) {
    throw new Error(`refusing to delete ${key}: it is not directly under the prefix ${opened.prefix}`);
  }
  await deletePublishedBackup(opened.backend, key);
  const uri = `${folderUriOf(opened)}${key.slice(opened.prefix.length)}`;
  return [sidecarKeyOf(uri), uri];
}
