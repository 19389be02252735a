import { resolve } from 'node:path';
import {
  collectCatalogFileMetrics,
  collectDedupMetrics,
  renderMetrics,
  TextfileWriteError,
  writeTextfile,
} from '@dbbackup/metrics';
import type { Command } from 'commander';
import { z } from 'zod';
import { commandAction } from '../../cli/command-action.js';
import type { CommandContext } from '../../cli/command-context.js';
import { addExamples } from '../../cli/help-examples.js';
import { CliError, PartialFailureError } from '../../errors/cli-errors.js';
import { renderKeyValues } from '../../output/render-table.js';
import { CLI_BUILD } from './cli-build-info.js';
import { addDedupStoresOption, dedupMetricsSources } from './dedup-metrics-sources.js';
import { metricsCatalogPath } from './metrics-catalog-path.js';

const exportOptions = z.object({ output: z.string().min(1), dedupDir: z.array(z.string()).optional() });

/** What `metrics export` prints about the file it wrote (--format json). */
interface MetricsExportReport {
  path: string;
  /** Samples (series lines) in the file. */
  metrics: number;
  bytes: number;
}

/** `dbbackup metrics export --output FILE`: the metrics as a file for node_exporter's textfile collector. */
export function registerMetricsExport(metrics: Command): void {
  const command = metrics
    .command('export')
    .description(
      "write the catalog's metrics to FILE for node_exporter's textfile collector (atomically: a reader never sees half a file)",
    )
    .requiredOption('--output <file>', 'the .prom file to write (replaced if it exists), in the collector directory');
  addExamples(command, [
    {
      description: 'for node_exporter --collector.textfile.directory=/var/lib/node_exporter (e.g. from cron)',
      command: 'dbbackup metrics export --output /var/lib/node_exporter/dbbackup.prom',
    },
    {
      description: 'with the newest snapshot of each database in a dedup store',
      command: 'dbbackup metrics export --output /var/lib/node_exporter/dbbackup.prom --dedup-dir /srv/dedup',
    },
    {
      description: 'what was written, as JSON',
      command: 'dbbackup metrics export --output dbbackup.prom --format json',
    },
  ]);
  addDedupStoresOption(command);
  command.action(commandAction((context) => exportMetrics(context)));
}

async function exportMetrics(context: CommandContext): Promise<void> {
  const options = context.options(exportOptions);
  const path = resolve(context.cwd, options.output);
  if (!path.endsWith('.prom')) {
    context.logger.warn(`node_exporter's textfile collector reads only *.prom files; ${path} will be ignored by it`);
  }
  const snapshot = await collectCatalogFileMetrics(metricsCatalogPath(context), CLI_BUILD);
  const dedupProblems = await collectDedupMetrics(snapshot, dedupMetricsSources(context, options.dedupDir));
  const rendered = await renderMetrics(snapshot);
  try {
    await writeTextfile(path, rendered.text);
  } catch (error) {
    if (error instanceof TextfileWriteError) throw new CliError(error.message, 2, { cause: error });
    throw error;
  }
  const report: MetricsExportReport = { path, metrics: rendered.samples, bytes: Buffer.byteLength(rendered.text) };
  context.output.result(report, (document) =>
    renderKeyValues([
      ['wrote', `${document.metrics} metrics (${document.bytes} bytes)`],
      ['file', document.path],
    ]),
  );
  // The file still says dbbackup_catalog_up 0, so an alert can fire; the run itself only half worked.
  if (snapshot.catalogProblem !== null) {
    throw new PartialFailureError(`wrote dbbackup_catalog_up 0: ${snapshot.catalogProblem}`);
  }
  if (dedupProblems.length > 0) {
    throw new PartialFailureError(`wrote dbbackup_dedup_store_up 0: ${dedupProblems.join('; ')}`);
  }
}
