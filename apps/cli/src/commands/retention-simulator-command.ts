import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { formatElapsed } from '@dbbackup/catalog';
import { formatBytes } from '@dbbackup/pipeline';
import {
  BackupTimestampParseError,
  describePolicy,
  parseBackupTimestamps,
  RetentionInputError,
  simulateRetention,
  simulateSchedule,
} from '@dbbackup/retention';
import { z } from 'zod';
import { commandAction } from '../cli/command-action.js';
import type { CommandContext } from '../cli/command-context.js';
import { addExamples } from '../cli/help-examples.js';
import { CliError, UsageError } from '../errors/cli-errors.js';
import { renderKeyValues, renderTable } from '../output/render-table.js';
import { parseSizeOption } from '../retention/parse-size.js';
import { addPolicyOptions, policyFromOptions, policyOptionsSchema } from '../retention/policy-options.js';
import { compactStorageTimeline, type StorageRow } from '../retention/storage-timeline.js';
import { parseWholeNumberOption } from '../retention/whole-number-option.js';
import { parseDurationArgument } from './catalog/time-argument.js';
import type { CommandModule } from './command-module.js';

const simulatorOptions = policyOptionsSchema.extend({
  backupsFile: z.string().min(1).optional(),
  days: z.string().optional(),
  interval: z.string().optional(),
  backupSize: z.string().optional(),
});

const DEFAULT_INTERVAL = '24h';
/** Survivors listed one per line up to this many; beyond it the newest and oldest few. */
const LISTED_SURVIVORS = 30;

/** The JSON document of `retention-simulator`. */
interface SimulationReport {
  policy: string;
  now: string;
  backups: number;
  /** Backups left at the end (what `cleanup` run now would keep), newest first. */
  kept: string[];
  /** Deleted along the way, newest first. */
  deleted: string[];
  oldest_restorable: string | null;
  /** The size given with --backup-size; null: storage counts backups only. */
  backup_bytes: number | null;
  /** Per period (an hour … a year, whatever keeps it short): backups and bytes at its end and at its peak. */
  storage_over_time: StorageRow[];
}

/** `dbbackup retention-simulator [policy] --backups-file F | --days N --interval 24h`: a policy tried on paper. */
export const retentionSimulatorCommand: CommandModule = {
  register(parent) {
    const command = parent
      .command('retention-simulator')
      .description(
        'try a retention policy without touching a backup: which backups of a schedule (or a list of times) survive, storage over time, and the oldest point one could restore; it replays the schedule running the policy after each backup, and once more now',
      )
      .option(
        '--backups-file <file>',
        'the backup times, one ISO-8601 timestamp per line (# comments and blank lines ignored)',
      )
      .option('--days <n>', 'instead: a regular schedule over the last N days, ending now')
      .option('--interval <duration>', `with --days: time between backups (e.g. 1h, 12h; default ${DEFAULT_INTERVAL})`)
      .option('--backup-size <size>', 'the size of one backup (e.g. 2GB, 700MiB), for the storage estimate');
    addPolicyOptions(command);
    addExamples(command, [
      {
        description: 'a year of daily backups under a GFS policy',
        command:
          'dbbackup retention-simulator --days 365 --gfs --gfs-daily 7 --gfs-weekly 4 --gfs-monthly 12 --backup-size 2GB',
      },
      {
        description: 'hourly backups kept 14 days',
        command: 'dbbackup retention-simulator --days 60 --interval 1h --retention-days 14 --min-backups 3',
      },
      {
        description: 'the real backup times of a database, as JSON',
        command: 'dbbackup retention-simulator --backups-file times.txt --retention-days 30 --format json',
      },
    ]);
    return command.action(commandAction(simulate));
  },
};

async function simulate(context: CommandContext): Promise<void> {
  const options = context.options(simulatorOptions);
  const policy = policyFromOptions(options);
  const backupBytes = options.backupSize === undefined ? null : parseSizeOption('--backup-size', options.backupSize);
  const now = new Date();
  const timestamps = await scheduleOf(context, options, now);
  let simulation: ReturnType<typeof simulateRetention>;
  try {
    simulation = simulateRetention(timestamps, policy, { now, ...(backupBytes === null ? {} : { backupBytes }) });
  } catch (error) {
    if (error instanceof RetentionInputError) throw new UsageError(error.message, { cause: error });
    throw error;
  }
  const report: SimulationReport = {
    policy: describePolicy(policy),
    now: now.toISOString(),
    backups: timestamps.length,
    kept: simulation.kept.map((time) => time.toISOString()),
    deleted: simulation.deleted.map((time) => time.toISOString()),
    oldest_restorable: simulation.oldestRestorable?.toISOString() ?? null,
    backup_bytes: backupBytes,
    storage_over_time: compactStorageTimeline(simulation.storageOverTime),
  };
  context.output.result(report, renderSimulation);
}

async function scheduleOf(
  context: CommandContext,
  options: z.infer<typeof simulatorOptions>,
  now: Date,
): Promise<Date[]> {
  if (options.backupsFile !== undefined) {
    if (options.days !== undefined || options.interval !== undefined) {
      throw new UsageError('give the backups either with --backups-file F or with --days N [--interval 24h], not both');
    }
    return readTimestamps(resolve(context.cwd, options.backupsFile), options.backupsFile);
  }
  if (options.days === undefined) {
    if (options.interval !== undefined)
      throw new UsageError('--interval needs --days N: how many days the schedule covers');
    throw new UsageError(
      'give the backups to simulate: --backups-file F (one ISO-8601 time per line) or --days N [--interval 24h]',
    );
  }
  const days = parseWholeNumberOption('--days', options.days, 1);
  const intervalMs = parseDurationArgument('--interval', options.interval ?? DEFAULT_INTERVAL);
  if (!(intervalMs > 0))
    throw new UsageError(`invalid --interval '${options.interval}': expected a positive duration such as 24h`);
  return simulateSchedule({ days, intervalMs, end: now });
}

async function readTimestamps(path: string, given: string): Promise<Date[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read --backups-file ${given} (${(error as Error).message}); check the path`, 2, {
      cause: error,
    });
  }
  try {
    return parseBackupTimestamps(text);
  } catch (error) {
    if (error instanceof BackupTimestampParseError) {
      throw new UsageError(`--backups-file ${given}: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

function renderSimulation(report: SimulationReport): string {
  const now = Date.parse(report.now);
  const ago = (time: string) => (now - Date.parse(time) <= 0 ? 'now' : `${formatElapsed(now - Date.parse(time))} ago`);
  const sections = [
    renderKeyValues([
      ['policy', report.policy],
      ['backups', report.backups],
      ['kept', report.kept.length],
      ['deleted', report.deleted.length],
      [
        'oldest restorable',
        report.oldest_restorable === null ? 'none' : `${report.oldest_restorable} (${ago(report.oldest_restorable)})`,
      ],
      ['storage now', storageText(report, report.kept.length, report.kept.length * (report.backup_bytes ?? 0))],
    ]),
  ];
  if (report.kept.length > 0) {
    sections.push(
      'survivors, newest first:',
      renderTable(survivorRows(report.kept), [
        { header: 'STARTED (UTC)', value: (row) => row.time },
        { header: 'AGE', value: (row) => (row.time === '…' ? '' : ago(row.time)), align: 'right' },
      ]),
    );
  }
  if (report.storage_over_time.length > 0) {
    sections.push(
      'storage over time:',
      renderTable(report.storage_over_time, [
        { header: 'UNTIL (UTC)', value: (row) => row.at },
        { header: 'BACKUPS', value: (row) => row.backups, align: 'right' },
        { header: 'PEAK', value: (row) => row.peak_backups, align: 'right' },
        ...(report.backup_bytes === null
          ? []
          : [
              { header: 'STORAGE', value: (row: StorageRow) => formatBytes(row.bytes), align: 'right' as const },
              {
                header: 'PEAK STORAGE',
                value: (row: StorageRow) => formatBytes(row.peak_bytes),
                align: 'right' as const,
              },
            ]),
      ]),
    );
  }
  return sections.join('\n');
}

function storageText(report: SimulationReport, backups: number, bytes: number): string {
  const count = `${backups} backup${backups === 1 ? '' : 's'}`;
  return report.backup_bytes === null ? `${count} (pass --backup-size for bytes)` : `${count}, ${formatBytes(bytes)}`;
}

/** Every survivor when they are few; otherwise the newest and the oldest few around an ellipsis. */
function survivorRows(kept: readonly string[]): Array<{ time: string }> {
  if (kept.length <= LISTED_SURVIVORS) return kept.map((time) => ({ time }));
  const half = LISTED_SURVIVORS / 2;
  return [...kept.slice(0, half), '…', ...kept.slice(-half)].map((time) => ({ time }));
}
