import { closeOnShutdown, createMetricsServer, MetricsError, waitForShutdownSignal } from '@dbbackup/metrics';
import { EXPORTER_BUILD } from './build-info.js';
import { dedupStoreSources } from './dedup-store-sources.js';
import { parseExporterArguments } from './exporter-arguments.js';
import { ExporterUsageError } from './exporter-errors.js';
import { HELP_TEXT } from './help-text.js';

export interface ExporterRuntime {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/** Exit statuses: 0 ok (also after a signal), 2 bad usage or cannot listen. */
const EXIT_ERROR = 2;
/** A second Ctrl-C while shutting down: stop waiting (128 + SIGINT, what shells report for Ctrl-C). */

/**
 * Runs dbbackup-exporter until SIGTERM/SIGINT; resolves with the exit status. Every line it logs goes to stderr
 * prefixed `dbbackup-exporter:` (systemd's journal adds the time).
 */
export async function runExporter(runtime: ExporterRuntime): Promise<number> {
  const log = (line: string) => runtime.stderr.write(`dbbackup-exporter: ${line}\n`);
  let parsed: ReturnType<typeof parseExporterArguments>;
  try {
    parsed = parseExporterArguments(runtime.argv, runtime.env, runtime.cwd);
  } catch (error) {
    if (!(error instanceof ExporterUsageError)) throw error;
    log(error.message);
    return EXIT_ERROR;
  }
  if (parsed.action === 'help') {
    runtime.stdout.write(HELP_TEXT);
    return 0;
  }
  if (parsed.action === 'version') {
    runtime.stdout.write(`dbbackup-exporter ${EXPORTER_BUILD.version} (commit ${EXPORTER_BUILD.commit})\n`);
    return 0;
  }

  // Listening for signals before the server starts: a SIGTERM during startup is a shutdown too, not a kill.
  const signals = waitForShutdownSignal();
  let server: Awaited<ReturnType<typeof createMetricsServer>>;
  try {
    server = await createMetricsServer({
      ...EXPORTER_BUILD,
      host: parsed.host,
      port: parsed.port,
      catalogPath: parsed.catalogPath,
      log,
      dedupSources: dedupStoreSources(parsed.dedupDirs, parsed.dedupKeyFile),
    });
  } catch (error) {
    signals.dispose();
    if (!(error instanceof MetricsError)) throw error;
    log(error.message);
    return EXIT_ERROR;
  }
  log(
    `${EXPORTER_BUILD.version} (commit ${EXPORTER_BUILD.commit}) serving ${server.url}metrics from the catalog ${parsed.catalogPath}`,
  );
  const signal = await signals.received;
  log(`${signal} received, stopping`);
  await closeOnShutdown(server);
  log('stopped');
  return 0;
}
