import { createServer } from 'node:http';
import { resolve } from 'node:path';
import type { BuildInfo } from '../build-info.js';
import type { DedupMetricsSource } from '../collect/collect-dedup-metrics.js';
import { CatalogStateLog } from './catalog-state-log.js';
import { listenOn } from './listen-on.js';
import { handleMetricsRequest } from './metrics-request-handler.js';
import { RequestTracker } from './request-tracker.js';

/** The exporter's default port. */
export const DEFAULT_METRICS_PORT = 9399;
/** Only this machine by default: put a reverse proxy or --host in front to expose it. */
export const DEFAULT_METRICS_HOST = '127.0.0.1';
/** How long close() waits for unfinished requests before it ends their connections. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

export interface MetricsServerOptions extends BuildInfo {
  /** The catalog file, opened read-only for every request (so a replaced catalog is picked up). */
  catalogPath: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 9399; 0 = any free port (see MetricsServer.port). */
  port?: number;
  /** One line per event worth an operator's attention (catalog unreadable / readable again, a failed request). */
  log?: (line: string) => void;
  /** Default 10 s. */
  shutdownTimeoutMs?: number;
  /** Deduplicating stores whose snapshots add dbbackup_dedup_* metrics to every scrape (default none). */
  dedupSources?: readonly DedupMetricsSource[];
}

export interface MetricsServer {
  readonly host: string;
  /** The port it listens on (the one chosen when port 0 was asked for). */
  readonly port: number;
  /** e.g. http://127.0.0.1:9399/ */
  readonly url: string;
  /**
   * Stops accepting connections, lets requests in progress finish, ends idle keep-alive connections, and ends the
   * rest after shutdownTimeoutMs. Resolves when every connection is closed.
   */
  close(): Promise<void>;
}

/**
 * Starts the HTTP server of the exporter (node:http): GET/HEAD /metrics, /health and /. Rejects with
 * MetricsPortInUseError or MetricsListenError when it cannot listen.
 */
export async function createMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const host = options.host ?? DEFAULT_METRICS_HOST;
  const log = options.log ?? (() => undefined);
  const catalogPath = resolve(options.catalogPath);
  const context = {
    catalogPath,
    buildInfo: { version: options.version, commit: options.commit },
    stateLog: new CatalogStateLog(catalogPath, log),
    dedupSources: options.dedupSources ?? [],
    reportDedupProblems: changeLogger(log),
  };
  const server = createServer();
  const tracker = new RequestTracker(server);
  server.on('request', (request, response) => {
    tracker.track(response);
    handleMetricsRequest(context, request, response).catch((error: unknown) => {
      log(`${request.method} ${request.url} failed: ${error instanceof Error ? error.message : String(error)}`);
      if (!response.headersSent) {
        response.statusCode = 500;
        response.setHeader('Content-Type', 'text/plain; charset=utf-8');
        response.end('internal error; see the exporter log\n');
      } else {
        response.destroy();
      }
    });
  });
  const port = await listenOn(server, host, options.port ?? DEFAULT_METRICS_PORT);
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
  let closed: Promise<void> | undefined;
  return {
    host,
    port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/`,
    close() {
      closed ??= tracker.close(shutdownTimeoutMs);
      return closed;
    },
  };
}

/** Logs the dedup stores' problems when they differ from the previous scrape's, so a lasting one is one line. */
function changeLogger(log: (line: string) => void): (problems: readonly string[]) => void {
  let previous = '';
  return (problems) => {
    const current = problems.join('\n');
    if (current !== previous) for (const problem of problems) log(problem);
    previous = current;
  };
}
