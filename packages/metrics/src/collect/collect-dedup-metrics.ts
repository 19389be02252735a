import { Gauge } from 'prom-client';
import { ALL_DATABASES_LABEL, UNKNOWN_SERVER_LABEL } from '../labels.js';
import { METRICS } from '../metric-definitions.js';
import type { MetricsSnapshot } from '../metrics-snapshot.js';

/** What the metrics need of one snapshot in a deduplicating store (structurally @dbbackup/dedup-store's SnapshotInfo). */
export interface DedupSnapshotFacts {
  /** ISO 8601: when the backup started. */
  created: string;
  database: string | null;
  engine: string | null;
  /** `postgresql://host:port/db` for `dedup backup-db`, a file path or '-' otherwise. */
  source: string;
}

/** One store to report on: where it is, and how to list its snapshots (opened per scrape by the caller). */
export interface DedupMetricsSource {
  /** Its location as the operator names it (a directory or a URI without credentials): the `store` label. */
  location: string;
  listSnapshots(): Promise<readonly DedupSnapshotFacts[]>;
}

/**
 * Adds the dedup metrics to a collection: per store dbbackup_dedup_store_up, and per (server, database, engine) the
 * start of its newest snapshot. A store that cannot be read is dbbackup_dedup_store_up 0 and its reason is returned
 * (one line per store), never a rejection: the catalog metrics of the same scrape still go out.
 */
export async function collectDedupMetrics(
  snapshot: MetricsSnapshot,
  sources: readonly DedupMetricsSource[],
): Promise<string[]> {
  const { registry } = snapshot;
  const storeUp = new Gauge({ ...definition(METRICS.dedupStoreUp), registers: [registry] });
  const lastBackup = new Gauge({ ...definition(METRICS.dedupDatabaseLastBackup), registers: [registry] });
  const problems: string[] = [];
  for (const source of sources) {
    let snapshots: readonly DedupSnapshotFacts[];
    try {
      snapshots = await source.listSnapshots();
    } catch (error) {
      storeUp.set({ store: source.location }, 0);
      problems.push(`cannot read the dedup store ${source.location}: ${oneLine(error)}`);
      continue;
    }
    storeUp.set({ store: source.location }, 1);
    const newest = new Map<string, { labels: Record<string, string>; seconds: number }>();
    for (const facts of snapshots) {
      const labels = {
        server: serverOf(facts.source),
        database: facts.database ?? ALL_DATABASES_LABEL,
        engine: facts.engine ?? 'none',
        store: source.location,
      };
      const key = JSON.stringify(labels);
      const seconds = Date.parse(facts.created) / 1000;
      if (Number.isNaN(seconds)) continue;
      const seen = newest.get(key);
      if (seen === undefined || seen.seconds < seconds) newest.set(key, { labels, seconds });
    }
    for (const { labels, seconds } of newest.values()) lastBackup.set(labels, seconds);
  }
  return problems;
}

function definition(metric: { name: string; help: string; labelNames: readonly string[] }) {
  return { name: metric.name, help: metric.help, labelNames: [...metric.labelNames] };
}

/** The database server of a `dedup backup-db` snapshot (its source is a connection URL); unknown for files. */
function serverOf(source: string): string {
  try {
    const url = new URL(source);
    return url.hostname !== '' ? url.hostname : UNKNOWN_SERVER_LABEL;
  } catch {
    return UNKNOWN_SERVER_LABEL;
  }
}

function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ');
}
