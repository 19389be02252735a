import type { Registry } from 'prom-client';

/** The metrics of one collection, ready to render (renderMetrics). */
export interface MetricsSnapshot {
  /** Whether the catalog could be read (dbbackup_catalog_up). */
  readonly catalogUp: boolean;
  /** Why it could not: one line, null when it could. */
  readonly catalogProblem: string | null;
  /**
   * The prom-client Registry holding the metrics: a fresh one per collection and without prom-client's default
   * process metrics. Exposed so a program with its own prom-client registry can merge it (Registry.merge).
   */
  readonly registry: Registry;
}
