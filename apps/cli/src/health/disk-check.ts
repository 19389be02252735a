import { statfs } from 'node:fs/promises';
import { formatBytes } from '@dbbackup/pipeline';
import { inspectBackupDirectory } from '../archive-io/backup-directory.js';
import type { BackupTarget } from './backup-targets.js';
import { check, type HealthCheck } from './health-check.js';

/**
 * disk: free space for this user on the backup directory's file system (the nearest existing parent when the
 * directory does not exist yet), against the largest of the targets' newest successful backups (the next backup
 * of that database needs about as much): below it → critical; below twice it → warning; otherwise ok. The detail
 * always gives the free bytes and the percentage of the file system.
 */
export async function checkDisk(directory: string, targets: readonly BackupTarget[]): Promise<HealthCheck> {
  let free: { bytes: number; percent: number; measuredAt: string };
  try {
    const inspected = await inspectBackupDirectory(directory);
    const fs = await statfs(inspected.existingAncestor);
    const total = fs.blocks * fs.bsize;
    free = {
      bytes: inspected.freeBytes,
      percent: total > 0 ? (inspected.freeBytes / total) * 100 : 0,
      measuredAt: inspected.exists
        ? directory
        : `${directory} (not created yet; measured at ${inspected.existingAncestor})`,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return check('disk', null, 'critical', `cannot measure free space for ${directory}: ${message}`);
  }

  const facts = `${formatBytes(free.bytes)} free (${free.percent.toFixed(1)}%) in ${free.measuredAt}`;
  const largest = largestLatestBackup(targets);
  if (largest === null) return check('disk', null, 'ok', `${facts}; no backup size known yet`);
  const size = `the latest backup of ${largest.label} (${formatBytes(largest.bytes)})`;
  if (free.bytes < largest.bytes) {
    return check(
      'disk',
      null,
      'critical',
      `only ${facts}, less than ${size}; free space or choose another --backup-dir`,
    );
  }
  if (free.bytes < 2 * largest.bytes) {
    return check('disk', null, 'warning', `only ${facts}, less than twice ${size}`);
  }
  return check('disk', null, 'ok', `${facts}, more than twice ${size}`);
}

function largestLatestBackup(targets: readonly BackupTarget[]): { bytes: number; label: string } | null {
  let largest: { bytes: number; label: string } | null = null;
  for (const target of targets) {
    const bytes = target.lastSuccess?.bytes;
    if (bytes !== null && bytes !== undefined && (largest === null || bytes > largest.bytes)) {
      largest = { bytes, label: target.label };
    }
  }
  return largest;
}
