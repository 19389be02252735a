import { type RetentionPolicy, RetentionPolicyError, validatePolicy } from '@dbbackup/retention';
import type { Command } from 'commander';
import { z } from 'zod';
import { UsageError } from '../errors/cli-errors.js';
import { parseWholeNumberOption } from './whole-number-option.js';

/** The policy flags as commander hands them over (every value a string; checked by policyFromOptions). */
export const policyOptionsSchema = z.object({
  retentionDays: z.string().optional(),
  minBackups: z.string().optional(),
  gfs: z.boolean().optional(),
  gfsDaily: z.string().optional(),
  gfsWeekly: z.string().optional(),
  gfsMonthly: z.string().optional(),
  gfsYearly: z.string().optional(),
  keepLast: z.string().optional(),
});

export type PolicyOptions = z.infer<typeof policyOptionsSchema>;

/** Without --min-backups the age policy still keeps each database's newest backup: never none by accident. */
export const DEFAULT_MIN_BACKUPS = 1;

const GFS_COUNT_FLAGS = [
  ['gfsDaily', '--gfs-daily'],
  ['gfsWeekly', '--gfs-weekly'],
  ['gfsMonthly', '--gfs-monthly'],
  ['gfsYearly', '--gfs-yearly'],
  ['keepLast', '--keep-last'],
] as const;

const NO_POLICY =
  'give a retention policy: --retention-days D [--min-backups M] (by age), or --gfs with --gfs-daily/--gfs-weekly/--gfs-monthly/--gfs-yearly N [--keep-last N]';

/** The flags `cleanup` and `retention-simulator` share, so both read a policy the same way. */
export function addPolicyOptions(command: Command): Command {
  return command
    .option(
      '--retention-days <days>',
      'age policy: delete successful backups older than this many days (0: all of them, but see --min-backups); with --gfs: when failed and incomplete backups go (default: at once)',
    )
    .option(
      '--min-backups <count>',
      `age policy: always keep this many newest successful backups per database (default ${DEFAULT_MIN_BACKUPS})`,
    )
    .option(
      '--gfs',
      'grandfather-father-son policy: keep the newest backup of each of the last N days, weeks, months, years',
    )
    .option('--gfs-daily <count>', 'with --gfs: the newest backup of each of the last N UTC days that have one')
    .option('--gfs-weekly <count>', 'with --gfs: the newest backup of each of the last N ISO weeks')
    .option('--gfs-monthly <count>', 'with --gfs: the newest backup of each of the last N months')
    .option('--gfs-yearly <count>', 'with --gfs: the newest backup of each of the last N years')
    .option('--keep-last <count>', 'with --gfs: also the N newest backups');
}

/** The policy the flags describe; a UsageError (exit 2) for none, a mix of the two kinds, or a malformed number. */
export function policyFromOptions(options: PolicyOptions): RetentionPolicy {
  const given = GFS_COUNT_FLAGS.filter(([key]) => options[key] !== undefined);
  const policy = options.gfs === true ? gfsPolicy(options, given) : agePolicy(options, given);
  try {
    validatePolicy(policy);
  } catch (error) {
    if (error instanceof RetentionPolicyError) throw new UsageError(error.message, { cause: error });
    throw error;
  }
  return policy;
}

function agePolicy(options: PolicyOptions, gfsFlags: ReadonlyArray<(typeof GFS_COUNT_FLAGS)[number]>): RetentionPolicy {
  const [firstGfsFlag] = gfsFlags;
  if (firstGfsFlag !== undefined) {
    throw new UsageError(`${firstGfsFlag[1]} belongs to the GFS policy: add --gfs (or drop ${firstGfsFlag[1]})`);
  }
  if (options.retentionDays === undefined) {
    if (options.minBackups !== undefined) {
      throw new UsageError('--min-backups needs --retention-days D: the age after which backups may go');
    }
    throw new UsageError(NO_POLICY);
  }
  return {
    kind: 'age',
    retentionDays: parseWholeNumberOption('--retention-days', options.retentionDays),
    minBackups:
      options.minBackups === undefined
        ? DEFAULT_MIN_BACKUPS
        : parseWholeNumberOption('--min-backups', options.minBackups),
  };
}

function gfsPolicy(options: PolicyOptions, gfsFlags: ReadonlyArray<(typeof GFS_COUNT_FLAGS)[number]>): RetentionPolicy {
  if (options.minBackups !== undefined) {
    throw new UsageError(
      '--min-backups belongs to the age policy and cannot be combined with --gfs; use --keep-last N to keep the N newest',
    );
  }
  if (gfsFlags.length === 0) {
    throw new UsageError(
      '--gfs needs at least one of --gfs-daily, --gfs-weekly, --gfs-monthly, --gfs-yearly, --keep-last N',
    );
  }
  const count = (key: (typeof GFS_COUNT_FLAGS)[number][0], flag: string) => {
    const text = options[key];
    return text === undefined ? 0 : parseWholeNumberOption(flag, text);
  };
  return {
    kind: 'gfs',
    daily: count('gfsDaily', '--gfs-daily'),
    weekly: count('gfsWeekly', '--gfs-weekly'),
    monthly: count('gfsMonthly', '--gfs-monthly'),
    yearly: count('gfsYearly', '--gfs-yearly'),
    keepLast: count('keepLast', '--keep-last'),
    ...(options.retentionDays !== undefined
      ? { retentionDays: parseWholeNumberOption('--retention-days', options.retentionDays) }
      : {}),
  };
}
