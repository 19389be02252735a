import { z } from 'zod';
import { openCatalog } from '../catalog-io/open-catalog.js';
import { commandAction } from '../cli/command-action.js';
import type { CommandContext } from '../cli/command-context.js';
import { addExamples } from '../cli/help-examples.js';
import { UsageError } from '../errors/cli-errors.js';
import { parseDurationOption } from '../health/duration-option.js';
import { renderStatus } from '../health/render-status.js';
import { DEFAULT_AGING_AFTER, DEFAULT_STALE_AFTER, type StalenessThresholds } from '../health/staleness.js';
import { buildStatusReport } from '../health/status-report.js';
import { colourEnabled } from '../output/colour.js';
import type { CommandModule } from './command-module.js';

const statusOptions = z.object({ agingAfter: z.string(), staleAfter: z.string() });

/** `dbbackup status`: one row per database in the catalog, with how old its newest backup is. */
export const statusCommand: CommandModule = {
  register(parent) {
    const command = parent
      .command('status')
      .description(
        'one row per database in the catalog: age of the newest successful backup (ok, aging, stale, never), size, encryption, verification',
      )
      .option('--aging-after <duration>', 'a newest backup this old is aging (yellow)', DEFAULT_AGING_AFTER)
      .option('--stale-after <duration>', 'a newest backup this old is stale (red)', DEFAULT_STALE_AFTER);
    addExamples(command, [
      { description: 'how old is the newest backup of each database?', command: 'dbbackup status' },
      {
        description: 'for weekly backups',
        command: 'dbbackup status --aging-after 8d --stale-after 15d',
      },
      {
        description: 'another catalog, as JSON',
        command: 'dbbackup status --catalog /var/lib/dbbackup/catalog.db --format json',
      },
    ]);
    return command.action(
      commandAction(async (context) => {
        const options = context.options(statusOptions);
        const thresholds: StalenessThresholds = {
          agingAfterMs: parseDurationOption('--aging-after', options.agingAfter),
          staleAfterMs: parseDurationOption('--stale-after', options.staleAfter),
        };
        if (thresholds.staleAfterMs < thresholds.agingAfterMs) {
          throw new UsageError(
            `--stale-after ${options.staleAfter} is shorter than --aging-after ${options.agingAfter}; make it at least as long`,
          );
        }
        await showStatus(context, thresholds);
      }),
    );
  },
};

async function showStatus(context: CommandContext, thresholds: StalenessThresholds): Promise<void> {
  const catalog = await openCatalog(context);
  try {
    const now = new Date();
    const report = buildStatusReport(await catalog.databaseStatus(), { catalog: catalog.path, now, thresholds });
    const colour = colourEnabled({
      stdoutIsTerminal: context.stdoutIsTerminal,
      format: context.config.format,
      env: context.env,
    });
    context.output.result(report, (document) => renderStatus(document, { colour, now }));
  } finally {
    await catalog.close();
  }
}
