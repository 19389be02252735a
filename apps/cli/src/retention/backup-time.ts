import { parseBackupFileName, stripBackupExtension } from '@dbbackup/catalog';

/**
 * When a backup started, as `cleanup` dates it: the UTC stamp in its file name (`shop-20261123T221500Z.dbb.tar`,
 * written by the CLI from the start time), else the `recorded` time (the manifest's startedAt locally, the sidecar's
 * createdAt in the cloud). The name comes first because it is what an operator sees and sorts by, and because a
 * copied or renamed file keeps its manifest but says in its name which backup it stands for.
 */
export function backupTimeOf(fileName: string, recorded: string): string {
  return parseBackupFileName(stripBackupExtension(fileName)).startedAt ?? new Date(recorded).toISOString();
}

/** What the file name says about the backup's kind and database (for files whose contents cannot say). */
export function nameFactsOf(fileName: string): ReturnType<typeof parseBackupFileName> {
  return parseBackupFileName(stripBackupExtension(fileName));
}
