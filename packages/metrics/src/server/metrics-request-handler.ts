import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BuildInfo } from '../build-info.js';
import { catalogProblem, collectCatalogFileMetrics } from '../collect/collect-catalog-file-metrics.js';
import { collectDedupMetrics, type DedupMetricsSource } from '../collect/collect-dedup-metrics.js';
import { renderMetrics } from '../render-metrics.js';
import type { CatalogStateLog } from './catalog-state-log.js';

export interface HandlerContext {
  catalogPath: string;
  buildInfo: BuildInfo;
  stateLog: CatalogStateLog;
  dedupSources: readonly DedupMetricsSource[];
  /** Logs a dedup store's problem when it starts or changes (not on every scrape). */
  reportDedupProblems(problems: readonly string[]): void;
}

const ROUTES = new Set(['/', '/metrics', '/health']);
const TEXT = 'text/plain; charset=utf-8';

/**
 * GET/HEAD /metrics (always 200: an unreadable catalog is dbbackup_catalog_up 0), /health (200 "ok", or 503 and the
 * reason), / (an index page); other paths 404, other methods on these paths 405.
 */
export async function handleMetricsRequest(
  context: HandlerContext,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const path = (request.url ?? '/').split('?')[0] ?? '/';
  if (!ROUTES.has(path)) {
    send(request, response, 404, TEXT, `not found: ${path}; the exporter serves /metrics and /health\n`);
    return;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    send(request, response, 405, TEXT, `method ${request.method} not allowed; use GET or HEAD\n`);
    return;
  }
  if (path === '/metrics') {
    const snapshot = await collectCatalogFileMetrics(context.catalogPath, context.buildInfo);
    context.stateLog.report(snapshot.catalogProblem);
    if (context.dedupSources.length > 0) {
      context.reportDedupProblems(await collectDedupMetrics(snapshot, context.dedupSources));
    }
    const rendered = await renderMetrics(snapshot);
    send(request, response, 200, rendered.contentType, rendered.text);
  } else if (path === '/health') {
    const problem = await catalogProblem(context.catalogPath);
    context.stateLog.report(problem);
    if (problem === null) send(request, response, 200, TEXT, 'ok\n');
    else send(request, response, 503, TEXT, `${problem}\n`);
  } else {
    send(request, response, 200, 'text/html; charset=utf-8', indexPage(context.buildInfo));
  }
}

function send(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  contentType: string,
  body: string,
): void {
  response.statusCode = status;
  response.setHeader('Content-Type', contentType);
  response.setHeader('Content-Length', Buffer.byteLength(body));
  response.setHeader('Cache-Control', 'no-store');
  response.end(request.method === 'HEAD' ? undefined : body);
}

function indexPage(buildInfo: BuildInfo): string {
  const version = escapeHtml(`${buildInfo.version} (commit ${buildInfo.commit})`);
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>dbbackup exporter</title></head>
<body>
<h1>dbbackup exporter</h1>
<p>dbbackup ${version}: Prometheus metrics of the backup catalog.</p>
<ul>
<li><a href="metrics">/metrics</a>: the metrics</li>
<li><a href="health">/health</a>: whether the catalog can be read</li>
</ul>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
