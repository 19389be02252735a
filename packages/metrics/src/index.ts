/**
 * @dbbackup/metrics: Prometheus metrics of the backup catalog (prom-client). Collect them from a catalog, render the
 * text exposition format, write it for node_exporter's textfile collector, or serve /metrics and /health.
 */
export type { BuildInfo } from './build-info.js';
export { catalogProblem, collectCatalogFileMetrics } from './collect/collect-catalog-file-metrics.js';
export {
  type CollectOptions,
  collectCatalogMetrics,
  unavailableCatalogMetrics,
} from './collect/collect-catalog-metrics.js';
export {
  collectDedupMetrics,
  type DedupMetricsSource,
  type DedupSnapshotFacts,
} from './collect/collect-dedup-metrics.js';
export {
  MetricsError,
  MetricsListenError,
  MetricsPortInUseError,
  TextfileWriteError,
} from './errors.js';
export {
  ALL_DATABASES_LABEL,
  BACKUP_LABEL_NAMES,
  RESTORE_LABEL_NAMES,
  UNKNOWN_SERVER_LABEL,
} from './labels.js';
export { METRICS, type MetricDefinition } from './metric-definitions.js';
export type { MetricsBackupRecord, MetricsCatalog, MetricsRestoreRecord } from './metrics-catalog.js';
export type { MetricsSnapshot } from './metrics-snapshot.js';
export { type RenderedMetrics, renderMetrics } from './render-metrics.js';
export {
  createMetricsServer,
  DEFAULT_METRICS_HOST,
  DEFAULT_METRICS_PORT,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
  type MetricsServer,
  type MetricsServerOptions,
} from './server/create-metrics-server.js';
export {
  closeOnShutdown,
  INTERRUPTED_EXIT_CODE,
  type ShutdownSignal,
  waitForShutdownSignal,
} from './server/shutdown-signal.js';
export { writeTextfile } from './textfile/write-textfile.js';
