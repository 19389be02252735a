// --scaling: our backup and restore at several SCALEs, to show how time and memory grow with the database.
import { rmSync } from 'node:fs';
import { attempt } from './database-suite.mjs';
import { runInterleaved } from './interleaved-rounds.mjs';

/**
 * One row per (scale, engine). A suite already measured at the same scale in this run is reused instead of being
 * measured again. Scales run smallest first, so the databases are built in order of size.
 */
export async function runScaling(benches, { scales, runs, temp, measureMemory, log, measuredSuites }) {
  const rows = [];
  for (const scale of [...scales].sort((a, b) => a - b)) {
    for (const bench of benches) {
      const measured = measuredSuites.find((suite) => suite.key === bench.key && suite.scale === scale);
      try {
        rows.push(
          measured ? fromSuite(measured) : await measureScale(bench, scale, { runs, temp, measureMemory, log }),
        );
      } catch (error) {
        log(`${bench.key} at SCALE ${scale}: ${error.message}`);
        rows.push({ key: bench.key, title: bench.title, scale, error: error.message });
      }
    }
  }
  return rows;
}

async function measureScale(bench, scale, { runs, temp, measureMemory, log }) {
  const serverVersion = bench.checkSetup();
  const database = await bench.ensureDatabase(scale);
  const sourceDir = temp.directory(`${bench.key}-scale-${scale}-source`);
  try {
    log(`${bench.key}: preparing the restore source at SCALE ${scale} (untimed)`);
    const archive = await attempt(() => bench.prepareOursSource(database.name, sourceDir), log);
    const [backup, restore] = await runInterleaved(
      [bench.oursBackup(database.name), bench.oursRestore(database.name, archive)],
      {
        runs,
        temp,
        measureMemory,
        databaseBytes: database.sizeBytes,
        log,
        logPrefix: `${bench.key} SCALE ${scale}`,
      },
    );
    return {
      key: bench.key,
      title: bench.title,
      scale,
      database: database.name,
      databaseBytes: database.sizeBytes,
      serverVersion,
      backup,
      restore,
    };
  } finally {
    rmSync(sourceDir, { recursive: true, force: true });
  }
}

function fromSuite(suite) {
  const find = (id) => suite.commands.find((command) => command.id === id);
  return {
    key: suite.key,
    title: suite.title,
    scale: suite.scale,
    database: suite.database,
    databaseBytes: suite.databaseBytes,
    serverVersion: suite.serverVersion,
    backup: find('ours_default'),
    restore: find('ours_restore'),
  };
}
