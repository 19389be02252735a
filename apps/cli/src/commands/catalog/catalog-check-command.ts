import { type CheckProblem, checkCatalogFiles } from '@dbbackup/catalog';
import type { Command } from 'commander';
import { z } from 'zod';
import { withCatalog } from '../../catalog-io/open-catalog.js';
import { commandAction } from '../../cli/command-action.js';
import type { CommandContext } from '../../cli/command-context.js';
import { addExamples } from '../../cli/help-examples.js';
import { PartialFailureError } from '../../errors/cli-errors.js';
import { renderTable } from '../../output/render-table.js';

const checkOptions = z.object({ hash: z.boolean() });

/** The JSON document of `catalog check`. */
interface CheckReport {
  catalog: string;
  checked: number;
  /** Entries that are not local files (cloud URIs). */
  skipped: number;
  hashed: boolean;
  problems: CheckProblem[];
}

/** `dbbackup catalog check`: are the backup files the catalog lists still there and unchanged? */
export function registerCatalogCheck(catalog: Command): void {
  const command = catalog
    .command('check')
    .description(
      'check that every successful backup in the catalog still exists with its recorded size and sha256; exit 1 when one does not',
    )
    .option('--no-hash', 'compare sizes only (fast: does not read the files)');
  addExamples(command, [
    { description: 'check every backup file (reads them all to compare sha256)', command: 'dbbackup catalog check' },
    { description: 'only that the files exist with their size', command: 'dbbackup catalog check --no-hash' },
    { description: 'as JSON, for monitoring', command: 'dbbackup catalog check --format json' },
  ]);
  command.action(commandAction((context) => checkCatalog(context)));
}

async function checkCatalog(context: CommandContext): Promise<void> {
  const { hash } = context.options(checkOptions);
  const report = await withCatalog(context, async (catalog) => {
    const result = await checkCatalogFiles(catalog, {
      hash,
      onFile: (path) => context.progress.update(`check: ${path}`),
    });
    return { catalog: catalog.path, hashed: hash, ...result } satisfies CheckReport;
  });
  context.progress.stop();
  context.output.result(report, renderCheck);
  if (report.problems.length > 0) {
    throw new PartialFailureError(
      `${report.problems.length} of ${report.checked} backups in the catalog are missing or changed; restore them from another copy, or run dbbackup catalog sync DIR if they were moved`,
    );
  }
}

function renderCheck(report: CheckReport): string {
  const what = report.hashed ? 'size and sha256' : 'size';
  const skipped = report.skipped > 0 ? ` (${report.skipped} not local files, not checked)` : '';
  if (report.problems.length === 0) {
    return `checked ${report.checked} backups: every file is present with its recorded ${what}${skipped}`;
  }
  return `${renderTable(report.problems, [
    { header: 'ID', value: (problem) => problem.id, align: 'right' },
    { header: 'PROBLEM', value: (problem) => problem.problem },
    { header: 'LOCATION', value: (problem) => problem.location },
    { header: 'DETAIL', value: (problem) => problem.detail },
  ])}checked ${report.checked} backups (${what})${skipped}: ${report.problems.length} with problems`;
}
