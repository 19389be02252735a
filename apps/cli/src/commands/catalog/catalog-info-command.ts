import { type Catalog, formatElapsed, formatSize, type RestoreRecord, type Verification } from '@dbbackup/catalog';
import type { Command } from 'commander';
import { withCatalog } from '../../catalog-io/open-catalog.js';
import { commandAction } from '../../cli/command-action.js';
import type { CommandContext } from '../../cli/command-context.js';
import { addExamples } from '../../cli/help-examples.js';
import { resolveBackupLocation } from '../../cloud-io/cloud-object.js';
import { CliError } from '../../errors/cli-errors.js';
import { counted } from '../../output/counted.js';
import { renderKeyValues, renderTable } from '../../output/render-table.js';
import { type BackupDocument, backupDocument } from './backup-document.js';
import { displayTime, verificationText } from './backup-table.js';

/** The JSON document of `catalog info`. */
interface InfoReport {
  backup: BackupDocument;
  /** Every verification of it, oldest first; backup.verification is the latest. */
  verifications: Verification[];
  /** Restores made from it, newest first. */
  restores: Array<{
    id: number;
    database: string;
    engine: string;
    host: string | null;
    status: string;
    error: string | null;
    started_at: string;
    finished_at: string | null;
    duration_ms: number | null;
    tables: number | null;
    rows: number | null;
  }>;
}

/** `dbbackup catalog info PATH|ID`: everything the catalog knows about one backup. */
export function registerCatalogInfo(catalog: Command): void {
  const command = catalog
    .command('info')
    .description('one backup in detail: where it is, what it holds, its verifications and the restores made from it')
    .argument('<backup>', 'the backup file (path or URI as listed) or its catalog id');
  addExamples(command, [
    { description: 'by file', command: 'dbbackup catalog info /var/backups/shop-20261123T221500Z.dbb.tar' },
    {
      description: 'by catalog id (see dbbackup catalog list), as JSON',
      command: 'dbbackup catalog info 42 --format json',
    },
  ]);
  command.action(commandAction((context, backup: string) => showInfo(context, backup)));
}

async function showInfo(context: CommandContext, argument: string): Promise<void> {
  const report = await withCatalog(context, async (catalog) => {
    const record = await findBackup(context, catalog, argument);
    const verifications = await catalog.verificationHistory(record.id);
    const restores = await catalog.listRestores({ backupId: record.id });
    return { backup: backupDocument(record), verifications, restores: restores.map(restoreDocument) };
  });
  context.output.result(report satisfies InfoReport, renderInfo);
}

async function findBackup(context: CommandContext, catalog: Catalog, argument: string) {
  const byId = /^\d+$/.test(argument) ? await catalog.getBackup(Number(argument)) : undefined;
  const record =
    byId ??
    (await catalog.findBackupByLocation(resolveBackupLocation(context.cwd, argument))) ??
    (await catalog.findBackupByLocation(argument));
  if (record === undefined) {
    throw new CliError(
      `the catalog ${catalog.path} has no backup ${/^\d+$/.test(argument) ? 'with id' : 'at'} ${argument}; see dbbackup catalog list, or add the directory with dbbackup catalog sync DIR`,
      2,
    );
  }
  return record;
}

function restoreDocument(restore: RestoreRecord): InfoReport['restores'][number] {
  return {
    id: restore.id,
    database: restore.database,
    engine: restore.engine,
    host: restore.host,
    status: restore.status,
    error: restore.error,
    started_at: restore.startedAt,
    finished_at: restore.finishedAt,
    duration_ms: restore.durationMs,
    tables: restore.tables,
    rows: restore.rows,
  };
}

function renderInfo(report: InfoReport): string {
  const backup = report.backup;
  const parts = [
    renderKeyValues([
      ['id', backup.id],
      ['location', backup.location],
      ['database', backup.database ?? 'cluster (every database)'],
      ['engine', backup.server_version === null ? backup.engine : `${backup.engine} ${backup.server_version}`],
      ['host', backup.host ?? 'unknown'],
      ['kind', `${backup.kind}, ${backup.format === 'sql' ? 'SQL script' : 'dbbackup archive'}`],
      ['status', backup.error === null ? backup.status : `${backup.status}: ${backup.error}`],
      ['started', `${displayTime(backup.started_at)} UTC`],
      ['finished', backup.finished_at === null ? null : `${displayTime(backup.finished_at)} UTC`],
      ['duration', backup.duration_ms === null ? null : formatElapsed(backup.duration_ms)],
      ['size', backup.bytes === null ? null : `${formatSize(backup.bytes)} (${backup.bytes} bytes)`],
      ['sha256', backup.sha256],
      ['data', dataText(backup)],
      ['encryption', backup.encrypted ? 'AES-256-GCM' : 'none'],
      ['compression', backup.compression],
      ['consistency', backup.consistency === null ? null : JSON.stringify(backup.consistency)],
      ['verified', verificationText(backup)],
    ]),
  ];
  if (report.verifications.length > 0) {
    parts.push(
      'verifications:',
      renderTable(report.verifications, [
        { header: 'AT (UTC)', value: (verification) => displayTime(verification.at) },
        { header: 'KIND', value: (verification) => verification.kind },
        { header: 'RESULT', value: (verification) => verification.result },
        { header: 'DETAIL', value: (verification) => verification.detail },
      ]),
    );
  }
  if (report.restores.length > 0) {
    parts.push(
      'restores from it:',
      renderTable(report.restores, [
        { header: 'ID', value: (restore) => restore.id, align: 'right' },
        { header: 'INTO', value: (restore) => restore.database },
        { header: 'HOST', value: (restore) => restore.host },
        { header: 'STARTED (UTC)', value: (restore) => displayTime(restore.started_at) },
        { header: 'STATUS', value: (restore) => restore.status },
      ]),
    );
  }
  return parts.join('\n');
}

function dataText(backup: BackupDocument): string | null {
  if (backup.tables === null && backup.rows === null) return null;
  return `${backup.tables === null ? '? tables' : counted(backup.tables, 'table')}, ${backup.rows === null ? '? rows' : counted(backup.rows, 'row')}`;
}
