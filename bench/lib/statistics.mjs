// Summaries of repeated runs. Medians, not means: one run slowed by a neighbour on a shared machine should not
// move the figure.

export function median(values) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * One command's runs → the figures the report shows. MB/s is the suite's database size over the median time, so
 * every row of a suite (backups and restores, ours and the references) divides the same amount of data.
 */
export function summarizeRuns(runs, databaseBytes) {
  const good = runs.filter((run) => run.ok);
  const seconds = median(good.map((run) => run.seconds));
  const rss = runs.map((run) => run.peakRssBytes).filter((value) => value !== null);
  const outputs = good.map((run) => run.outputBytes).filter((value) => value !== null);
  return {
    status: good.length < runs.length ? 'failed' : 'ok',
    medianSeconds: seconds,
    megabytesPerSecond: seconds ? round(databaseBytes / 1e6 / seconds, 1) : null,
    peakRssBytes: rss.length > 0 ? Math.max(...rss) : null,
    medianCpuSeconds: median(good.map((run) => run.cpuSeconds).filter((value) => value !== null)),
    outputBytes: outputs.length > 0 ? median(outputs) : null,
  };
}

/** Keeps the results file readable: timer noise below a millisecond is not information. */
export function round(value, decimals) {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
