import type { MetricsSnapshot } from './metrics-snapshot.js';

/** Metrics in the Prometheus text exposition format (0.0.4), as served on /metrics and written for node_exporter. */
export interface RenderedMetrics {
  /** The Content-Type header to serve it with. */
  contentType: string;
  text: string;
  /** Number of samples (series lines) in the text. */
  samples: number;
}

export async function renderMetrics(snapshot: MetricsSnapshot): Promise<RenderedMetrics> {
  const text = await snapshot.registry.metrics();
  const samples = text.split('\n').filter((line) => line !== '' && !line.startsWith('#')).length;
  return { contentType: snapshot.registry.contentType, text, samples };
}
