import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { type ScannedBackup, scanBackupDirectory } from '@dbbackup/catalog';
import { formatBytes } from '@dbbackup/pipeline';
import { resolveBackupDirectory } from '../archive-io/backup-directory.js';
import { commandAction } from '../cli/command-action.js';
import type { CommandContext } from '../cli/command-context.js';
import { addExamples } from '../cli/help-examples.js';
import { CliError } from '../errors/cli-errors.js';
import { summariseVerification, type VerificationSummary } from '../health/backup-summary.js';
import { formatAge } from '../health/format-age.js';
import { renderTable } from '../output/render-table.js';
import type { CommandModule } from './command-module.js';

/** One file of `dbbackup list --format json`. */
interface ListedBackup {
  file: string;
  path: string;
  /** complete, partial (*.partial: being written or left by a crash), incomplete (no manifest), unreadable. */
  state: ScannedBackup['state'];
  database: string | null;
  engine: string | null;
  kind: string | null;
  /** When the backup started (from its manifest), null when unknown; age_seconds falls back to modified_at. */
  started_at: string | null;
  modified_at: string;
  age_seconds: number;
  bytes: number;
  encrypted: boolean | null;
  /** From the `<file>.verify.json` sidecar written by verify-backup and --verify-restore. */
  verification: VerificationSummary | null;
  note: string | null;
}

interface ListReport {
  backup_dir: string;
  backups: ListedBackup[];
}

/** `dbbackup list`: the backup files in --backup-dir, newest first, with their state. */
export const listCommand: CommandModule = {
  register(parent) {
    const command = parent
      .command('list')
      .description(
        'the backups in --backup-dir, newest first: age, size, and status (complete, partial, incomplete, unreadable; verified or not)',
      );
    addExamples(command, [
      { description: 'the backups in the current directory', command: 'dbbackup list' },
      { description: 'the backups in /var/backups', command: 'dbbackup list --backup-dir /var/backups' },
      { description: 'as JSON', command: 'dbbackup list --backup-dir /var/backups --format json' },
    ]);
    return command.action(commandAction(listBackups));
  },
};

async function listBackups(context: CommandContext): Promise<void> {
  const directory = resolveBackupDirectory(context.config.backupDir, context.cwd);
  const info = await stat(directory).catch(() => undefined);
  if (info === undefined || !info.isDirectory()) {
    throw new CliError(`backup directory ${directory} does not exist; pass --backup-dir DIR`, 2);
  }
  const now = Date.now();
  const backups: ListedBackup[] = [];
  for await (const scanned of scanBackupDirectory(directory, { hash: false, recursive: false })) {
    context.progress.update(`list: ${basename(scanned.path)}`);
    backups.push(listedBackup(scanned, now));
  }
  context.progress.stop();
  backups.sort((a, b) => takenAt(b) - takenAt(a) || a.file.localeCompare(b.file));
  context.output.result({ backup_dir: directory, backups } satisfies ListReport, renderList);
}

function listedBackup(scanned: ScannedBackup, now: number): ListedBackup {
  const record = scanned.record;
  const startedAt = record?.startedAt ?? null;
  return {
    file: basename(scanned.path),
    path: scanned.path,
    state: scanned.state,
    database: record?.database ?? null,
    engine: record?.engine ?? null,
    kind: record?.kind ?? null,
    started_at: startedAt,
    modified_at: scanned.modifiedAt,
    age_seconds: Math.max(0, Math.floor((now - Date.parse(startedAt ?? scanned.modifiedAt)) / 1000)),
    bytes: scanned.bytes,
    encrypted: record?.encrypted ?? null,
    verification: scanned.verification === null ? null : summariseVerification(scanned.verification),
    note: scanned.note,
  };
}

/** When the backup's data is from: its start, or the file's modification time when the manifest is unknown. */
function takenAt(backup: ListedBackup): number {
  return Date.parse(backup.started_at ?? backup.modified_at);
}

function renderList(report: ListReport): string {
  if (report.backups.length === 0) return `no backups in ${report.backup_dir}\n`;
  return renderTable(report.backups, [
    { header: 'FILE', value: (backup) => backup.file },
    { header: 'DATABASE', value: (backup) => backup.database ?? (backup.kind === 'cluster' ? 'cluster' : null) },
    { header: 'ENGINE', value: (backup) => backup.engine },
    { header: 'AGE', value: (backup) => formatAge(backup.age_seconds * 1000), align: 'right' },
    { header: 'SIZE', value: (backup) => formatBytes(backup.bytes), align: 'right' },
    { header: 'STATUS', value: statusText },
    { header: 'NOTE', value: (backup) => backup.note },
  ]);
}

/** complete, with the verification from the sidecar; the other states say themselves why it cannot be verified. */
function statusText(backup: ListedBackup): string {
  if (backup.state !== 'complete') return backup.state;
  if (backup.verification === null) return 'complete, not verified';
  return backup.verification.result === 'passed' ? 'complete, verified' : 'complete, verification failed';
}
