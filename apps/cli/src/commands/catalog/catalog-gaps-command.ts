import { formatElapsed } from '@dbbackup/catalog';
import { type Command, Option } from 'commander';
import { z } from 'zod';
import { withCatalog } from '../../catalog-io/open-catalog.js';
import { commandAction } from '../../cli/command-action.js';
import type { CommandContext } from '../../cli/command-context.js';
import { addExamples } from '../../cli/help-examples.js';
import { notify } from '../../notify-io/command-notifications.js';
import { renderTable } from '../../output/render-table.js';
import { displayTime } from './backup-table.js';
import { parseDurationArgument } from './time-argument.js';

const gapsOptions = z.object({
  interval: z.string(),
  database: z.string().min(1).optional(),
});

/** The JSON document of `catalog gaps`. */
interface GapsReport {
  catalog: string;
  interval_ms: number;
  now: string;
  gaps: Array<{
    database: string | null;
    engine: string;
    from: string;
    /** null: no successful backup since `from` (the gap runs until now). */
    to: string | null;
    gap_ms: number;
    reason: 'between-successes' | 'since-last-success' | 'never-succeeded';
  }>;
}

/** `dbbackup catalog gaps`: where successful backups were further apart than they should be. */
export function registerCatalogGaps(catalog: Command): void {
  const command = catalog
    .command('gaps')
    .description(
      'periods longer than --interval without a successful backup, per database (up to now); finding gaps is not an error (exit 0)',
    )
    .addOption(new Option('--interval <duration>', 'longest acceptable time between successful backups').default('24h'))
    .option('--database <name>', 'only this database');
  addExamples(command, [
    { description: 'databases that went more than a day without a backup', command: 'dbbackup catalog gaps' },
    {
      description: 'hourly backups of shop: every gap over 90 minutes',
      command: 'dbbackup catalog gaps --interval 90m --database shop',
    },
    { description: 'as JSON, for monitoring', command: 'dbbackup catalog gaps --interval 26h --format json' },
  ]);
  command.action(commandAction((context) => findGaps(context)));
}

async function findGaps(context: CommandContext): Promise<void> {
  const options = context.options(gapsOptions);
  const intervalMs = parseDurationArgument('--interval', options.interval);
  const now = new Date();
  const report = await withCatalog(context, async (catalog) => {
    const gaps = await catalog.gaps({
      intervalMs,
      now,
      ...(options.database !== undefined ? { database: options.database } : {}),
    });
    return {
      catalog: catalog.path,
      interval_ms: intervalMs,
      now: now.toISOString(),
      gaps: gaps.map((gap) => ({
        database: gap.database,
        engine: gap.engine,
        from: gap.from,
        to: gap.to,
        gap_ms: gap.gapMs,
        reason: gap.reason,
      })),
    } satisfies GapsReport;
  });
  context.output.result(report, (document) => renderGaps(document, options.interval));
  for (const gap of report.gaps) {
    notify(context, {
      event: 'gap_detected',
      database: gap.database,
      message: `${gap.database ?? `the ${gap.engine} cluster`} went ${formatElapsed(gap.gap_ms)} without a successful backup (${reasonText(gap.reason)}), more than ${options.interval}`,
      details: { ...gap, interval_ms: intervalMs },
    });
  }
}

function renderGaps(report: GapsReport, interval: string): string {
  if (report.gaps.length === 0) return `no gaps: every database had a successful backup at least every ${interval}`;
  return renderTable(report.gaps, [
    { header: 'DATABASE', value: (gap) => gap.database ?? 'cluster' },
    { header: 'ENGINE', value: (gap) => gap.engine },
    { header: 'FROM (UTC)', value: (gap) => displayTime(gap.from) },
    { header: 'TO (UTC)', value: (gap) => displayTime(gap.to) ?? 'now' },
    { header: 'GAP', value: (gap) => formatElapsed(gap.gap_ms), align: 'right' },
    { header: 'WHY', value: (gap) => reasonText(gap.reason) },
  ]);
}

function reasonText(reason: GapsReport['gaps'][number]['reason']): string {
  switch (reason) {
    case 'between-successes':
      return 'successful backups too far apart';
    case 'since-last-success':
      return 'no successful backup since';
    case 'never-succeeded':
      return 'never backed up successfully';
  }
}
