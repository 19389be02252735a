import { type CatalogStats, formatPercent, formatSize } from '@dbbackup/catalog';
import type { Command } from 'commander';
import { withCatalog } from '../../catalog-io/open-catalog.js';
import { commandAction } from '../../cli/command-action.js';
import type { CommandContext } from '../../cli/command-context.js';
import { addExamples } from '../../cli/help-examples.js';
import { renderKeyValues, renderTable } from '../../output/render-table.js';
import { displayTime } from './backup-table.js';

/** The JSON document of `catalog stats`; bytes count successful backups only. */
interface StatsReport {
  catalog: string;
  backups: number;
  successful: number;
  failed: number;
  running: number;
  /** successful / (successful + failed), null when none finished. */
  success_rate: number | null;
  total_bytes: number;
  oldest: string | null;
  newest: string | null;
  per_database: Array<{
    database: string | null;
    engine: string;
    backups: number;
    successful: number;
    bytes: number;
    last_success_at: string | null;
  }>;
  per_engine: Array<{ engine: string; backups: number; successful: number; bytes: number }>;
}

/** `dbbackup catalog stats`: totals, success rate, per database and per engine. */
export function registerCatalogStats(catalog: Command): void {
  const command = catalog
    .command('stats')
    .description('how many backups, how many succeeded, how much they take, per database and per engine');
  addExamples(command, [
    { description: 'the figures of the default catalog', command: 'dbbackup catalog stats' },
    { description: 'as JSON, for a dashboard', command: 'dbbackup catalog stats --format json' },
  ]);
  command.action(commandAction((context) => showStats(context)));
}

async function showStats(context: CommandContext): Promise<void> {
  const report = await withCatalog(context, async (catalog) => statsReport(catalog.path, await catalog.stats()));
  context.output.result(report, renderStats);
}

function statsReport(path: string, stats: CatalogStats): StatsReport {
  return {
    catalog: path,
    backups: stats.backups,
    successful: stats.successful,
    failed: stats.failed,
    running: stats.running,
    success_rate: stats.successRate,
    total_bytes: stats.totalBytes,
    oldest: stats.oldest,
    newest: stats.newest,
    per_database: stats.perDatabase.map((entry) => ({
      database: entry.database,
      engine: entry.engine,
      backups: entry.backups,
      successful: entry.successful,
      bytes: entry.bytes,
      last_success_at: entry.lastSuccessAt,
    })),
    per_engine: stats.perEngine,
  };
}

function renderStats(report: StatsReport): string {
  if (report.backups === 0) {
    return `no backups in the catalog ${report.catalog}; run dbbackup catalog sync DIR to add the backups of a directory`;
  }
  const summary = renderKeyValues([
    [
      'backups',
      `${report.backups} (${report.successful} successful, ${report.failed} failed, ${report.running} running)`,
    ],
    ['success rate', report.success_rate === null ? 'none finished yet' : formatPercent(report.success_rate)],
    ['stored', `${formatSize(report.total_bytes)} in successful backups`],
    ['oldest', displayTime(report.oldest)],
    ['newest', displayTime(report.newest)],
  ]);
  const perDatabase = renderTable(report.per_database, [
    { header: 'DATABASE', value: (entry) => entry.database ?? 'cluster' },
    { header: 'ENGINE', value: (entry) => entry.engine },
    { header: 'BACKUPS', value: (entry) => entry.backups, align: 'right' },
    { header: 'SUCCESSFUL', value: (entry) => entry.successful, align: 'right' },
    { header: 'SIZE', value: (entry) => formatSize(entry.bytes), align: 'right' },
    { header: 'LAST SUCCESS (UTC)', value: (entry) => displayTime(entry.last_success_at) ?? 'never' },
  ]);
  const perEngine = renderTable(report.per_engine, [
    { header: 'ENGINE', value: (entry) => entry.engine },
    { header: 'BACKUPS', value: (entry) => entry.backups, align: 'right' },
    { header: 'SUCCESSFUL', value: (entry) => entry.successful, align: 'right' },
    { header: 'SIZE', value: (entry) => formatSize(entry.bytes), align: 'right' },
  ]);
  return `${summary}\n${perDatabase}\n${perEngine}`;
}
