import { unlink } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { type ScannedBackup, scanBackupDirectory, verificationSidecarPath } from '@dbbackup/catalog';
import { backupTimeOf, nameFactsOf } from './backup-time.js';
import { type CleanupCandidate, retentionGroupOf } from './cleanup-candidate.js';

/** A file the scan found that cleanup leaves alone, and why. */
export interface SkippedFile {
  location: string;
  reason: string;
}

/**
 * The backups directly in `directory` (not its subdirectories): complete archives and dbbackup SQL scripts are
 * successful backups; an archive without manifest or a script without trailer is incomplete, dated by its mtime.
 * `.partial` files are being written (or were left by a crash) and unreadable files are not understood: both are
 * left alone, reported as skipped, and not counted.
 */
export async function localCleanupCandidates(
  directory: string,
  onFile: (path: string) => void,
): Promise<{ candidates: CleanupCandidate[]; skipped: SkippedFile[] }> {
  const candidates: CleanupCandidate[] = [];
  const skipped: SkippedFile[] = [];
  for await (const scanned of scanBackupDirectory(directory, { recursive: false, hash: false, onFile })) {
    const candidate = candidateOf(directory, scanned);
    if (candidate) candidates.push(candidate);
    else skipped.push({ location: scanned.path, reason: skipReason(scanned) });
  }
  return { candidates, skipped };
}

function candidateOf(directory: string, scanned: ScannedBackup): CleanupCandidate | undefined {
  const fileName = basename(scanned.path);
  const remove = () => removeFiles(directory, scanned.path);
  if (scanned.state === 'complete' && scanned.record !== null) {
    const { record } = scanned;
    return {
      location: scanned.path,
      database: record.database,
      group: retentionGroupOf(record.database, record.kind),
      timestamp: backupTimeOf(fileName, record.startedAt),
      status: 'success',
      bytes: scanned.bytes,
      remove,
    };
  }
  if (scanned.state === 'incomplete') {
    const name = nameFactsOf(fileName);
    return {
      location: scanned.path,
      database: name.database,
      group: retentionGroupOf(name.database, name.kind),
      timestamp: scanned.modifiedAt,
      status: 'incomplete',
      bytes: scanned.bytes,
      remove,
    };
  }
  return undefined;
}

function skipReason(scanned: ScannedBackup): string {
  if (scanned.state === 'partial') return 'a .partial file: being written, or left by a backup that did not finish';
  return `unreadable, left alone${scanned.note ? `: ${scanned.note}` : ''}`;
}

/** The archive, then its `.verify.json` sidecar (if any); refuses any path outside the directory. */
async function removeFiles(directory: string, path: string): Promise<string[]> {
  const sidecar = verificationSidecarPath(path);
  for (const target of [path, sidecar]) {
    if (dirname(target) !== directory) {
      throw new Error(`refusing to delete ${target}: it is not directly in ${directory}`);
    }
  }
  await unlink(path);
  try {
    await unlink(sidecar);
    return [path, sidecar];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [path];
    throw error;
  }
}
