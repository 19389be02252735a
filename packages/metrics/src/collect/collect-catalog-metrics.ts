import { Counter, Gauge, Registry } from 'prom-client';
import type { BuildInfo } from '../build-info.js';
import type { MetricDefinition } from '../metric-definitions.js';
import { METRICS } from '../metric-definitions.js';
import type { MetricsCatalog } from '../metrics-catalog.js';
import type { MetricsSnapshot } from '../metrics-snapshot.js';
import { successTime, summarizeBackups } from './summarize-backups.js';
import { summarizeRestores } from './summarize-restores.js';

export interface CollectOptions extends BuildInfo {
  /** The time the RPO is measured at; default the current time. */
  now?: Date;
}

/**
 * Reads every backup and restore record of `catalog` and turns them into metrics (see METRICS for what each one
 * means). The caller opens and closes the catalog. A failure to read rejects: use collectCatalogFileMetrics for the
 * scrape that reports an unreadable catalog as dbbackup_catalog_up 0 instead.
 */
export async function collectCatalogMetrics(
  catalog: MetricsCatalog,
  options: CollectOptions,
): Promise<MetricsSnapshot> {
  const [backups, restores] = [await catalog.listBackups(), await catalog.listRestores()];
  const nowMs = (options.now ?? new Date()).getTime();
  const registry = baseRegistry(options, true);

  const backupTotal = counter(registry, METRICS.backupTotal);
  const running = gauge(registry, METRICS.backupRunning);
  const byType = gauge(registry, METRICS.backupByType);
  const lastSuccess = gauge(registry, METRICS.lastSuccessTimestamp);
  const duration = gauge(registry, METRICS.lastBackupDuration);
  const size = gauge(registry, METRICS.lastBackupSize);
  const rpo = gauge(registry, METRICS.rpo);
  const verified = gauge(registry, METRICS.backupVerified);
  const lastFailure = gauge(registry, METRICS.lastFailureTimestamp);
  for (const series of summarizeBackups(backups)) {
    const { labels } = series;
    // Both statuses always, 0 included: a database whose every backup failed shows success 0, not nothing.
    backupTotal.inc({ ...labels, status: 'success' }, series.succeeded);
    backupTotal.inc({ ...labels, status: 'failed' }, series.failed);
    running.set(labels, series.running);
    byType.set(labels, series.succeeded + series.failed + series.running);
    if (series.lastFailureAt !== null) lastFailure.set(labels, unixSeconds(series.lastFailureAt));
    const success = series.lastSuccess;
    if (success === null) continue;
    const finishedMs = Date.parse(successTime(success));
    lastSuccess.set(labels, finishedMs / 1000);
    // A finish in the future (a clock ahead of this one) is a fresh backup, not a negative age. Subtracting whole
    // milliseconds keeps the value exact (4.6, not the 4.5999999 of subtracting two large float seconds).
    rpo.set(labels, Math.max(0, nowMs - finishedMs) / 1000);
    if (success.durationMs !== null) duration.set(labels, success.durationMs / 1000);
    if (success.bytes !== null) size.set(labels, success.bytes);
    verified.set(labels, success.verification?.result === 'passed' ? 1 : 0);
  }

  const restoreTotal = counter(registry, METRICS.restoreTotal);
  const restoreDuration = gauge(registry, METRICS.restoreDuration);
  const lastRestore = gauge(registry, METRICS.lastRestoreSuccessTimestamp);
  for (const series of summarizeRestores(restores)) {
    const { labels } = series;
    restoreTotal.inc({ ...labels, status: 'success' }, series.succeeded);
    restoreTotal.inc({ ...labels, status: 'failed' }, series.failed);
    const success = series.lastSuccess;
    if (success === null) continue;
    if (success.durationMs !== null) restoreDuration.set(labels, success.durationMs / 1000);
    if (success.finishedAt !== null) lastRestore.set(labels, unixSeconds(success.finishedAt));
  }
  return { catalogUp: true, catalogProblem: null, registry };
}

/** The metrics of a scrape that could not read the catalog: build info and dbbackup_catalog_up 0. */
export function unavailableCatalogMetrics(buildInfo: BuildInfo, problem: string): MetricsSnapshot {
  return { catalogUp: false, catalogProblem: problem, registry: baseRegistry(buildInfo, false) };
}

function baseRegistry(buildInfo: BuildInfo, catalogUp: boolean): Registry {
  const registry = new Registry();
  gauge(registry, METRICS.buildInfo).set({ version: buildInfo.version, commit: buildInfo.commit }, 1);
  gauge(registry, METRICS.catalogUp).set(catalogUp ? 1 : 0);
  return registry;
}

function gauge(registry: Registry, definition: MetricDefinition): Gauge {
  return new Gauge({
    name: definition.name,
    help: definition.help,
    labelNames: [...definition.labelNames],
    registers: [registry],
  });
}

function counter(registry: Registry, definition: MetricDefinition): Counter {
  return new Counter({
    name: definition.name,
    help: definition.help,
    labelNames: [...definition.labelNames],
    registers: [registry],
  });
}

function unixSeconds(iso: string): number {
  return Date.parse(iso) / 1000;
}
