import { keepLastPolicy, type PruneDecision, type RetentionPolicy, retentionDaysPolicy } from '@dbbackup/dedup-store';
import { formatBytes } from '@dbbackup/pipeline';
import type { Command } from 'commander';
import { z } from 'zod';
import { commandAction } from '../../cli/command-action.js';
import type { CommandContext } from '../../cli/command-context.js';
import { addExamples } from '../../cli/help-examples.js';
import { resolveDedupLocation } from '../../dedup-io/dedup-location.js';
import { withDedupStore } from '../../dedup-io/open-dedup-store.js';
import {
  type SnapshotDocument,
  shortSnapshotId,
  snapshotDocument,
  tableTime,
} from '../../dedup-io/snapshot-document.js';
import { UsageError } from '../../errors/cli-errors.js';
import { renderTable } from '../../output/render-table.js';
import { parseWholeNumberOption } from '../../retention/whole-number-option.js';
import { addDedupDirOption, dedupStoreOptions } from './dedup-store-option.js';
import { describeGc, type GcReportDocument, gcReportDocument } from './gc-report-document.js';

const pruneOptions = dedupStoreOptions.extend({
  keepLast: z.string().optional(),
  retentionDays: z.string().optional(),
});

/** A snapshot prune keeps or deletes, and why (from @dbbackup/retention). */
interface PruneDecisionDocument extends SnapshotDocument {
  reasons: string[];
}

/** The JSON document of `dedup prune`. */
interface DedupPruneReport {
  store: string;
  dry_run: boolean;
  policy: string;
  keep: PruneDecisionDocument[];
  delete: PruneDecisionDocument[];
  /** The gc that followed (a dry run: its estimate). */
  gc: GcReportDocument;
}

/** `dbbackup dedup prune --keep-last N | --retention-days D [--dry-run]`: retention, then gc, under one lock. */
export function registerDedupPrune(dedup: Command): void {
  const command = dedup
    .command('prune')
    .description(
      'delete the snapshots a retention policy does not keep, per database (or per source for files), then gc; the newest snapshot of each is always kept. Takes an exclusive lock',
    );
  addDedupDirOption(command)
    .option('--keep-last <count>', 'keep the newest N snapshots of each database (or source)')
    .option('--retention-days <days>', 'keep the snapshots younger than D days (and always the newest)');
  addExamples(command, [
    {
      description: 'keep a week of daily snapshots',
      command: 'dbbackup dedup prune --keep-last 7 --dedup-dir /srv/dedup',
    },
    {
      description: 'what a 30-day policy would delete and free',
      command: 'dbbackup dedup prune --retention-days 30 --dedup-dir /srv/dedup --dry-run',
    },
  ]);
  command.action(commandAction((context) => dedupPrune(context)));
}

async function dedupPrune(context: CommandContext): Promise<void> {
  const options = context.options(pruneOptions);
  const policy = policyOf(options);
  const location = resolveDedupLocation(context, options.dedupDir, 'prune');
  const dryRun = context.config.dryRun;
  const report = await withDedupStore(
    context,
    { location, create: false },
    async (store): Promise<DedupPruneReport> => {
      context.progress.update(`dedup prune: ${dryRun ? 'working out' : 'applying'} the policy…`);
      try {
        const pruned = await store.prune(policy, { dryRun });
        return {
          store: store.location,
          dry_run: pruned.dryRun,
          policy: pruned.policy,
          keep: pruned.keep.map(decisionDocument),
          delete: pruned.delete.map(decisionDocument),
          gc: gcReportDocument(pruned.gc),
        };
      } finally {
        context.progress.stop();
      }
    },
  );
  context.output.result(report, renderPruneReport);
  await context.saveConfigAfterSuccess();
}

function policyOf(options: z.infer<typeof pruneOptions>): RetentionPolicy {
  const { keepLast, retentionDays } = options;
  if ((keepLast === undefined) === (retentionDays === undefined)) {
    throw new UsageError(
      'dedup prune needs one policy: --keep-last N (the newest N snapshots of each database) or --retention-days D (those younger than D days), not both',
    );
  }
  if (keepLast !== undefined) return keepLastPolicy(parseWholeNumberOption('--keep-last', keepLast, 1));
  return retentionDaysPolicy(parseWholeNumberOption('--retention-days', retentionDays ?? '', 0));
}

function decisionDocument(decision: PruneDecision): PruneDecisionDocument {
  return { ...snapshotDocument(decision.snapshot), reasons: decision.reasons };
}

function renderPruneReport(report: DedupPruneReport): string {
  const deleted = report.dry_run ? 'would delete' : 'deleted';
  const rows = [
    ...report.delete.map((decision) => ({ action: deleted, decision })),
    ...report.keep.map((decision) => ({ action: 'keep', decision })),
  ].sort((a, b) => a.decision.created.localeCompare(b.decision.created));
  const table = renderTable(rows, [
    { header: 'action', value: (row) => row.action },
    { header: 'id', value: (row) => shortSnapshotId(row.decision.id) },
    { header: 'created', value: (row) => tableTime(row.decision.created) },
    { header: 'size', value: (row) => formatBytes(row.decision.size), align: 'right' },
    { header: 'database or source', value: (row) => row.decision.database ?? row.decision.source },
    { header: 'why', value: (row) => row.decision.reasons.join('; ') },
  ]);
  return `policy: ${report.policy}\n${rows.length > 0 ? table : 'no snapshots\n'}gc: ${describeGc(report.gc)}\n`;
}
