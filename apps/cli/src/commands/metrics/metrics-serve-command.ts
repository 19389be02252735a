import {
  closeOnShutdown,
  createMetricsServer,
  DEFAULT_METRICS_HOST,
  DEFAULT_METRICS_PORT,
  MetricsError,
  waitForShutdownSignal,
} from '@dbbackup/metrics';
import type { Command } from 'commander';
import { z } from 'zod';
import { commandAction } from '../../cli/command-action.js';
import type { CommandContext } from '../../cli/command-context.js';
import { addExamples } from '../../cli/help-examples.js';
import { CliError } from '../../errors/cli-errors.js';
import { CLI_BUILD } from './cli-build-info.js';
import { addDedupStoresOption, dedupMetricsSources } from './dedup-metrics-sources.js';
import { giveListenFlagsTo } from './listen-flags.js';
import { metricsCatalogPath } from './metrics-catalog-path.js';

const serveOptions = z.object({
  port: z.coerce.number().int().min(0).max(65_535),
  host: z.string().min(1),
  dedupDir: z.array(z.string()).optional(),
});

/** What `metrics serve --format json` prints once it has stopped. */
interface MetricsServeReport {
  url: string;
  catalog: string;
  stopped_by: NodeJS.Signals;
}

/** `dbbackup metrics serve`: the exporter's /metrics and /health, in the foreground until Ctrl-C or SIGTERM. */
export function registerMetricsServe(metrics: Command): void {
  const command = metrics
    .command('serve')
    .description(
      "serve the catalog's metrics on /metrics and its readability on /health until Ctrl-C or SIGTERM (the same server as dbbackup-exporter)",
    )
    .option('--port <number>', 'port to listen on (0 = any free port)', String(DEFAULT_METRICS_PORT))
    .option('--host <address>', 'address to listen on (0.0.0.0 = every interface)', DEFAULT_METRICS_HOST);
  giveListenFlagsTo(metrics, command);
  addDedupStoresOption(command);
  addExamples(command, [
    { description: 'serve on 127.0.0.1:9399', command: 'dbbackup metrics serve' },
    {
      description: 'another catalog, reachable from the Prometheus server',
      command: 'dbbackup metrics serve --catalog /var/lib/dbbackup/catalog.db --host 0.0.0.0 --port 9399',
    },
  ]);
  command.action(commandAction((context) => serveMetrics(context)));
}

async function serveMetrics(context: CommandContext): Promise<void> {
  const options = context.options(serveOptions);
  const catalog = metricsCatalogPath(context);
  const log = (line: string) => context.logger.info(`dbbackup metrics: ${line}`);
  // Listening for signals before the server starts: a signal during startup is a shutdown too.
  const signals = waitForShutdownSignal();
  let server: Awaited<ReturnType<typeof createMetricsServer>>;
  try {
    server = await createMetricsServer({
      ...CLI_BUILD,
      catalogPath: catalog,
      host: options.host,
      port: options.port,
      log,
      dedupSources: dedupMetricsSources(context, options.dedupDir),
    });
  } catch (error) {
    signals.dispose();
    if (error instanceof MetricsError) throw new CliError(error.message, 2, { cause: error });
    throw error;
  }
  log(`serving ${server.url}metrics from the catalog ${catalog}; Ctrl-C stops`);
  const signal = await signals.received;
  log(`${signal} received, stopping`);
  await closeOnShutdown(server);
  const report: MetricsServeReport = { url: server.url, catalog, stopped_by: signal };
  context.output.result(report, () => '');
  log('stopped');
}
