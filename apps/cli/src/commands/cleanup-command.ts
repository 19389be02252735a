import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BackupDirectoryError, type Catalog } from '@dbbackup/catalog';
import { formatBytes } from '@dbbackup/pipeline';
import { describePolicy, type RetentionPolicy } from '@dbbackup/retention';
import { z } from 'zod';
import { withCatalog } from '../catalog-io/open-catalog.js';
import { commandAction } from '../cli/command-action.js';
import type { CommandContext } from '../cli/command-context.js';
import { addExamples } from '../cli/help-examples.js';
import { isCloudLocation } from '../cloud-io/cloud-object.js';
import { CliError, PartialFailureError } from '../errors/cli-errors.js';
import { notify } from '../notify-io/command-notifications.js';
import type { CleanupCandidate } from '../retention/cleanup-candidate.js';
import { type CleanupPlan, type PlannedBackup, planCleanup } from '../retention/cleanup-plan.js';
import { type CleanupEntry, type CleanupReport, renderCleanupReport } from '../retention/cleanup-report.js';
import { cloudCleanupCandidates } from '../retention/cloud-cleanup-candidates.js';
import { localCleanupCandidates, type SkippedFile } from '../retention/local-cleanup-candidates.js';
import { addPolicyOptions, policyFromOptions, policyOptionsSchema } from '../retention/policy-options.js';
import { withCloudStorage } from './cloud/cloud-storage.js';
import type { CommandModule } from './command-module.js';

const cleanupOptions = policyOptionsSchema.extend({
  database: z.string().min(1).optional(),
  force: z.boolean().optional(),
});

/** cleanup stopped before deleting anything because the result looks like a mistake (see --force). Exit 2. */
export class CleanupRefusedError extends CliError {
  constructor(message: string) {
    super(message, 2);
  }
}

/**
 * `dbbackup cleanup DIR|URI [policy] [--dry-run]`: deletes the backups a retention policy does not keep, from a
 * local directory or a cloud folder, with their sidecars and catalog entries.
 */
export const cleanupCommand: CommandModule = {
  register(parent) {
    const command = parent
      .command('cleanup')
      .description(
        'delete the backups a retention policy does not keep, per database, from a directory (its files, not subdirectories) or a cloud folder; with their sidecars and catalog entries. A backup is dated by the UTC stamp in its name, else its manifest (cloud: sidecar) time. .partial files are left alone and not counted',
      )
      .argument('<location>', 'the backup directory, or a cloud folder (s3://bucket/prefix/, sftp://…)');
    addPolicyOptions(command)
      .option('--database <name>', 'only the backups of this database')
      .option(
        '--force',
        'delete even when no backups are found or when every backup of a database would go (otherwise refused, exit 2)',
      );
    addExamples(command, [
      {
        description: 'see what a 30-day policy would delete, keeping at least 3 per database',
        command: 'dbbackup cleanup /var/backups --retention-days 30 --min-backups 3 --dry-run',
      },
      {
        description: 'keep 7 daily, 4 weekly and 12 monthly backups in S3; drop failed ones after 2 days',
        command:
          'dbbackup cleanup s3://backups/prod/ --gfs --gfs-daily 7 --gfs-weekly 4 --gfs-monthly 12 --retention-days 2',
      },
      {
        description: 'one database, as JSON',
        command: 'dbbackup cleanup /var/backups --database shop --retention-days 14 --format json',
      },
    ]);
    return command.action(commandAction((context, location: string) => cleanup(context, location)));
  },
};

async function cleanup(context: CommandContext, locationArgument: string): Promise<void> {
  const options = context.options(cleanupOptions);
  const policy = policyFromOptions(options);
  const dryRun = context.config.dryRun;
  const now = new Date();
  const run = async (
    target: string,
    found: { candidates: CleanupCandidate[]; skipped: SkippedFile[] },
  ): Promise<CleanupReport> => {
    context.progress.stop();
    const candidates = found.candidates.filter(
      (candidate) => options.database === undefined || candidate.database === options.database,
    );
    const plan = planCleanup(candidates, policy, now);
    refuseUnlessForced(target, candidates.length, plan, options);
    return dryRun
      ? reportOf(target, policy, plan, [], found.skipped, true)
      : deletePlanned(context, target, policy, plan, found.skipped);
  };

  let report: CleanupReport;
  if (isCloudLocation(locationArgument)) {
    report = await withCloudStorage(context, locationArgument, async (opened) =>
      run(
        opened.uri,
        await cloudCleanupCandidates(opened, (key) => context.progress.update(`cleanup: reading ${key}`)),
      ),
    );
  } else {
    const directory = localDirectory(context.cwd, locationArgument);
    report = await run(directory, await scanDirectory(context, directory));
  }
  context.output.result(report, renderCleanupReport);
  if (!dryRun) notifyCleanup(context, report, options.database ?? null);
  if (report.failed.length > 0) {
    const [first] = report.failed;
    throw new PartialFailureError(
      `cleanup: ${report.failed.length} backup${report.failed.length === 1 ? '' : 's'} could not be deleted (${first?.location}: ${first?.error}); fix that and run cleanup again`,
    );
  }
  if (!dryRun) await context.saveConfigAfterSuccess();
}

/** cleanup_completed: what was deleted and kept, and the deletions that failed (a partial cleanup still completed). */
function notifyCleanup(context: CommandContext, report: CleanupReport, database: string | null): void {
  const freed = report.deleted.reduce((sum, entry) => sum + entry.bytes, 0);
  const failed = report.failed.length > 0 ? `, ${report.failed.length} could not be deleted` : '';
  notify(context, {
    event: 'cleanup_completed',
    database,
    message: `cleanup of ${report.target}: ${report.deleted.length} deleted (${formatBytes(freed)}), ${report.kept.length} kept${failed}`,
    details: {
      target: report.target,
      policy: report.policy,
      deleted: report.deleted.length,
      kept: report.kept.length,
      failed: report.failed.map((entry) => ({ location: entry.location, error: entry.error })),
      freed_bytes: freed,
    },
  });
}

function localDirectory(cwd: string, argument: string): string {
  return argument.startsWith('file://') ? fileURLToPath(argument) : resolve(cwd, argument);
}

async function scanDirectory(
  context: CommandContext,
  directory: string,
): Promise<{ candidates: CleanupCandidate[]; skipped: SkippedFile[] }> {
  try {
    return await localCleanupCandidates(directory, (path) => context.progress.update(`cleanup: reading ${path}`));
  } catch (error) {
    if (error instanceof BackupDirectoryError) throw new CliError(error.message, 2, { cause: error });
    throw error;
  }
}

/** Finding nothing, or emptying a database, is more often a wrong path or policy than the intent. */
function refuseUnlessForced(
  target: string,
  found: number,
  plan: CleanupPlan,
  options: { database?: string | undefined; force?: boolean | undefined },
): void {
  if (options.force === true) return;
  if (found === 0) {
    const which = options.database === undefined ? '' : ` of database ${options.database}`;
    throw new CleanupRefusedError(
      `found no backups${which} in ${target}; check the location and --database, or pass --force to accept that`,
    );
  }
  if (plan.emptiedGroups.length > 0) {
    const names = plan.emptiedGroups.map((group) => group ?? 'the cluster backups').join(', ');
    throw new CleanupRefusedError(
      `the policy would delete every backup of ${names}; check the policy, or pass --force to delete them all`,
    );
  }
}

/** Deletes each backup the plan does not keep, then its catalog entry; a failure is recorded and the rest go on. */
async function deletePlanned(
  context: CommandContext,
  target: string,
  policy: RetentionPolicy,
  plan: CleanupPlan,
  skipped: SkippedFile[],
): Promise<CleanupReport> {
  if (plan.delete.length === 0) return reportOf(target, policy, plan, [], skipped, false);
  // The catalog is opened first: a catalog that cannot be used stops the run before any file is gone.
  return withCatalog(context, async (catalog) => {
    const failed: Array<{ planned: PlannedBackup; error: string }> = [];
    for (const planned of plan.delete) {
      context.progress.update(`cleanup: deleting ${planned.candidate.location}`);
      try {
        const removed = await planned.candidate.remove();
        context.logger.debug(`cleanup: deleted ${removed.join(', ')}`);
      } catch (error) {
        failed.push({ planned, error: (error as Error).message });
        continue;
      }
      try {
        await forgetInCatalog(catalog, planned.candidate.location);
      } catch (error) {
        failed.push({ planned, error: `deleted, but its catalog entry remains: ${(error as Error).message}` });
      }
    }
    context.progress.stop();
    return reportOf(target, policy, plan, failed, skipped, false);
  });
}

async function forgetInCatalog(catalog: Catalog, location: string): Promise<void> {
  const record = await catalog.findBackupByLocation(location);
  if (record !== undefined) await catalog.deleteBackup(record.id);
}

function reportOf(
  target: string,
  policy: RetentionPolicy,
  plan: CleanupPlan,
  failed: ReadonlyArray<{ planned: PlannedBackup; error: string }>,
  skipped: SkippedFile[],
  dryRun: boolean,
): CleanupReport {
  const failedLocations = new Set(failed.map((entry) => entry.planned.candidate.location));
  return {
    target,
    policy: describePolicy(policy),
    dry_run: dryRun,
    kept: plan.keep.map(entryOf),
    deleted: plan.delete.filter((planned) => !failedLocations.has(planned.candidate.location)).map(entryOf),
    failed: failed.map(({ planned, error }) => ({ ...entryOf(planned), error })),
    skipped,
  };
}

function entryOf({ candidate, reasons }: PlannedBackup): CleanupEntry {
  return {
    location: candidate.location,
    database: candidate.database,
    timestamp: candidate.timestamp,
    status: candidate.status,
    bytes: candidate.bytes,
    reasons,
  };
}
