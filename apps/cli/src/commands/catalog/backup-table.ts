import { formatElapsed, formatSize } from '@dbbackup/catalog';
import { renderTable } from '../../output/render-table.js';
import type { BackupDocument } from './backup-document.js';

/** The table `catalog list` and `catalog search` print: one line per backup, the location last (it is long). */
export function renderBackupTable(backups: readonly BackupDocument[]): string {
  return renderTable(backups, [
    { header: 'ID', value: (backup) => backup.id, align: 'right' },
    { header: 'DATABASE', value: (backup) => backup.database ?? 'cluster' },
    { header: 'ENGINE', value: (backup) => backup.engine },
    { header: 'HOST', value: (backup) => backup.host },
    { header: 'KIND', value: (backup) => (backup.format === 'sql' ? `${backup.kind} (sql)` : backup.kind) },
    { header: 'STARTED (UTC)', value: (backup) => displayTime(backup.started_at) },
    {
      header: 'DURATION',
      value: (backup) => (backup.duration_ms === null ? null : formatElapsed(backup.duration_ms)),
      align: 'right',
    },
    { header: 'SIZE', value: (backup) => (backup.bytes === null ? null : formatSize(backup.bytes)), align: 'right' },
    { header: 'STATUS', value: (backup) => backup.status },
    { header: 'VERIFIED', value: (backup) => verificationText(backup) },
    { header: 'LOCATION', value: (backup) => backup.location },
  ]);
}

export function verificationText(backup: Pick<BackupDocument, 'verification'>): string {
  const verification = backup.verification;
  if (verification === null) return 'no';
  return `${verification.result} (${verification.kind}, ${displayTime(verification.at).slice(0, 10)})`;
}

/** 2026-11-23 22:15:04: UTC to the second, readable in a terminal. */
export function displayTime(iso: string): string;
export function displayTime(iso: string | null): string | null;
export function displayTime(iso: string | null): string | null {
  return iso === null ? null : iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '');
}
