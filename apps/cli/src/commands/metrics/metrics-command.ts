import { addExamples } from '../../cli/help-examples.js';
import type { CommandModule } from '../command-module.js';
import { registerMetricsExport } from './metrics-export-command.js';
import { registerMetricsServe } from './metrics-serve-command.js';

/**
 * `dbbackup metrics export|serve`: Prometheus metrics of the catalog (read-only), as a textfile-collector file or
 * served over HTTP. The long-running service is apps/exporter (dbbackup-exporter); serve is the same server.
 */
export const metricsCommand: CommandModule = {
  register(parent) {
    const metrics = parent
      .command('metrics')
      .description(
        'Prometheus metrics of the catalog (backup freshness/RPO, sizes, verification, restores): write a .prom file or serve /metrics',
      );
    addExamples(metrics, [
      {
        description: "a file for node_exporter's textfile collector",
        command: 'dbbackup metrics export --output /var/lib/node_exporter/dbbackup.prom',
      },
      { description: 'serve /metrics and /health on 127.0.0.1:9399', command: 'dbbackup metrics serve' },
    ]);
    registerMetricsExport(metrics);
    registerMetricsServe(metrics);
    return metrics;
  },
};
