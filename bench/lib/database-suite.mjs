// One engine's suite: make sure the benchmark database exists, prepare the restore sources, then the backup group
// and the restore group, each in interleaved rounds.
import { rmSync } from 'node:fs';
import { runInterleaved } from './interleaved-rounds.mjs';

/**
 * `bench` is an engine's command set (postgres-bench.mjs, mariadb-bench.mjs). Throws BenchSetupError when the
 * server or a tool is missing; a single failing command only marks its row as failed.
 */
export async function runDatabaseSuite(bench, { scale, runs, temp, measureMemory, log }) {
  const serverVersion = bench.checkSetup();
  const database = await bench.ensureDatabase(scale);
  const sourcesDir = temp.directory(`${bench.key}-sources`);
  try {
    // The restore sources are made before any timed run; reading every table this way is also the warm-up, so the
    // first timed command does not pay alone for a cold cache.
    log(`${bench.key}: preparing restore sources (untimed)`);
    const sources = {
      reference: await attempt(() => bench.prepareReferenceSource(database.name, sourcesDir), log),
      ours: await attempt(() => bench.prepareOursSource(database.name, sourcesDir), log),
    };
    const rounds = { runs, temp, measureMemory, databaseBytes: database.sizeBytes, log, logPrefix: bench.key };
    const backups = await runInterleaved(bench.backupCommands(database.name), rounds);
    const restores = await runInterleaved(bench.restoreCommands(database.name, sources), rounds);
    return {
      key: bench.key,
      title: bench.title,
      scale,
      database: database.name,
      databaseBuilt: database.built,
      databaseBytes: database.sizeBytes,
      serverVersion,
      commands: [...backups, ...restores],
    };
  } finally {
    rmSync(sourcesDir, { recursive: true, force: true });
  }
}

/** A failed restore source only takes its restore row out (reported there), not the whole suite. */
export async function attempt(prepare, log) {
  try {
    return await prepare();
  } catch (error) {
    log(`  ${error.message}`);
    return null;
  }
}
