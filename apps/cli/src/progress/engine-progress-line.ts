import type { EngineProgress } from '@dbbackup/archive';
import { renderProgressLine } from '@dbbackup/pipeline';

/**
 * Turns the engine's cumulative progress reports into one terminal line: phase, tables done/total, rows, bytes,
 * MB/s and ETA (pipeline's renderProgressLine). The rate is measured over the data phase only, so connecting,
 * schema work and index builds do not distort it; after the data phase the last rate stays on the line.
 */
export function createEngineProgressRenderer(label: string): (progress: EngineProgress) => string {
  let dataStartedAt: number | undefined;
  let bytesAtStart = 0;
  let bytesPerSecond = 0;
  return (progress) => {
    const now = performance.now();
    if (progress.phase === 'data') {
      if (dataStartedAt === undefined) {
        dataStartedAt = now;
        bytesAtStart = progress.bytes;
      }
      const elapsedMs = now - dataStartedAt;
      if (elapsedMs > 0) bytesPerSecond = ((progress.bytes - bytesAtStart) / elapsedMs) * 1000;
    }
    // An estimate of 0 (tables never analysed) or one already exceeded is no total worth showing.
    const totalBytes =
      progress.bytesTotal !== null && progress.bytesTotal > 0 && progress.bytesTotal >= progress.bytes
        ? progress.bytesTotal
        : null;
    const etaSeconds =
      progress.phase === 'data' && totalBytes !== null && bytesPerSecond > 0
        ? (totalBytes - progress.bytes) / bytesPerSecond
        : null;
    const line = renderProgressLine({
      bytes: progress.bytes,
      rows: progress.rows,
      tablesDone: progress.tablesDone,
      tablesTotal: progress.tablesTotal,
      elapsedMs: dataStartedAt === undefined ? 0 : now - dataStartedAt,
      bytesPerSecond,
      etaSeconds,
      totalBytes,
    });
    return `${label} ${progress.phase}  ${line}`;
  };
}
