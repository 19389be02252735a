// Building or reusing the benchmark database of one engine with its ../shared/bench script: shared by both suites.
import { join } from 'node:path';
import { runCheckedAsync } from './processes.mjs';

/**
 * `dbbackup_bench_s<scale>`, built with `<sharedDir>/bench/<script>` unless `isComplete(name, scale)` says a previous
 * build finished (building is the slow part of a benchmark run). Returns the name and whether it was built.
 */
export async function ensureBenchDatabase({ key, script, sharedDir, scale, env, log, isComplete }) {
  const name = `dbbackup_bench_s${scale}`;
  const built = !isComplete(name, scale);
  if (built) {
    log(`${key}: building ${name} with ${script} at SCALE ${scale} (the slow part)`);
    await runCheckedAsync(script, 'bash', [join(sharedDir, 'bench', script), name], {
      env: { ...env, SCALE: String(scale) },
    });
  } else {
    log(`${key}: reusing ${name} (expected row counts present)`);
  }
  return { name, built };
}
