#!/usr/bin/env node
// `pnpm bench`: runs the benchmark suites (built packages only; `pnpm bench --help` for the options).
// The in-process suites (pipeline, dedup) print their own markdown; the database suites (pg, mysql) compare our
// CLI with the usual tools on the shared benchmark databases, print markdown tables on stdout (progress on
// stderr) and keep every run's figures in bench/results/<UTC date-time>.json.
import { join } from 'node:path';
import { runDatabaseSuite } from './lib/database-suite.mjs';
import { assertCliBuilt, repoRoot } from './lib/dbbackup-cli.mjs';
import { BenchUsageError } from './lib/errors.mjs';
import { machineInfo } from './lib/machine-info.mjs';
import { createMariadbBench } from './lib/mariadb-bench.mjs';
import { renderMarkdown } from './lib/markdown-report.mjs';
import { DATABASE_SUITES, HELP, parseOptions } from './lib/options.mjs';
import { createPostgresBench } from './lib/postgres-bench.mjs';
import { writeResultsFile } from './lib/results-file.mjs';
import { runScaling } from './lib/scaling-suite.mjs';
import { runScriptSuite, SCRIPT_SUITES } from './lib/script-suites.mjs';
import { evaluateTargets } from './lib/targets.mjs';
import { createTempSpace } from './lib/temp-space.mjs';
import { GNU_TIME_MISSING, gnuTimeAvailable } from './lib/timed-command.mjs';

const log = (message) => process.stderr.write(`[bench] ${message}\n`);

let options;
try {
  options = parseOptions(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof BenchUsageError)) throw error;
  console.error(`bench: ${error.message} (see pnpm bench --help)`);
  process.exit(2);
}
if (options.help) {
  console.log(HELP);
  process.exit(0);
}

let failed = false;
for (const name of options.only.filter((suite) => suite in SCRIPT_SUITES)) {
  if (runScriptSuite(name) !== 0) failed = true;
}
if (options.only.some((suite) => DATABASE_SUITES.includes(suite))) {
  if (!(await runDatabaseSuites())) failed = true;
}
process.exit(failed ? 1 : 0);

/**
 * The report (printed as markdown and saved as JSON):
 *   startedAt, finishedAt   ISO UTC
 *   options, smokeRun       the parsed options; whether SCALE < 15 or one run made it a smoke run
 *   machine                 machine-info.mjs
 *   memoryMeasured, memoryNote
 *   suites                  database-suite.mjs results: per command its command line, every run (seconds, peak RSS,
 *                           CPU seconds, output bytes, error) and the summary (median, MB/s, peak RSS, output)
 *   suiteFailures           { key, title, error } for a suite that could not run (server down, tool missing)
 *   targets                 targets.mjs rows
 *   scaling                 scaling-suite.mjs rows (empty without --scaling)
 * Returns false when a suite or a command failed.
 */
async function runDatabaseSuites() {
  const { help, ...recordedOptions } = options;
  const report = {
    startedAt: new Date().toISOString(),
    finishedAt: null,
    options: recordedOptions,
    // Figures at a small SCALE or from one run only show that the harness works; say so where they are kept.
    smokeRun: options.scale < 15 || options.runs < 2,
    machine: machineInfo(),
    memoryMeasured: gnuTimeAvailable(),
    memoryNote: null,
    suites: [],
    suiteFailures: [],
    targets: [],
    scaling: [],
  };
  if (!report.memoryMeasured) {
    report.memoryNote = GNU_TIME_MISSING;
    log(GNU_TIME_MISSING);
  }
  try {
    assertCliBuilt();
  } catch (error) {
    console.error(`bench: ${error.message}`);
    return false;
  }

  const sharedDir = process.env.DBBACKUP_SHARED_DIR ?? join(repoRoot, '../shared');
  const factories = { pg: createPostgresBench, mysql: createMariadbBench };
  const benches = DATABASE_SUITES.filter((key) => options.only.includes(key)).map((key) =>
    factories[key]({ sharedDir, log }),
  );
  const usedDatabases = [];
  const temp = createTempSpace();
  const common = { runs: options.runs, temp, measureMemory: report.memoryMeasured, log };
  try {
    for (const bench of benches) {
      try {
        const suite = await runDatabaseSuite(bench, { ...common, scale: options.scale });
        report.suites.push(suite);
        usedDatabases.push({ bench, name: suite.database });
      } catch (error) {
        log(`${bench.key}: ${error.message}`);
        report.suiteFailures.push({ key: bench.key, title: bench.title, error: error.message });
      }
    }
    if (options.scaling) {
      report.scaling = await runScaling(benches, { ...common, scales: options.scales, measuredSuites: report.suites });
      for (const row of report.scaling) {
        const bench = benches.find((candidate) => candidate.key === row.key);
        if (row.database) usedDatabases.push({ bench, name: row.database });
      }
    }
  } finally {
    temp.cleanUp();
    if (!options.keep) dropDatabases(usedDatabases);
  }

  report.finishedAt = new Date().toISOString();
  report.targets = evaluateTargets(report.suites, report.scaling, options.only);
  console.log(`\n${renderMarkdown(report)}\n`);
  log(`results written to ${writeResultsFile(report)}`);

  const commandFailed = [
    ...report.suites.flatMap((suite) => suite.commands),
    ...report.scaling.flatMap((row) => [row.backup, row.restore]),
  ].some((command) => command?.status === 'failed');
  return report.suiteFailures.length === 0 && !commandFailed && report.scaling.every((row) => !row.error);
}

function dropDatabases(used) {
  const seen = new Set();
  for (const { bench, name } of used) {
    if (seen.has(`${bench.key}/${name}`)) continue;
    seen.add(`${bench.key}/${name}`);
    log(`--no-keep: dropping ${bench.key} database ${name}`);
    bench.dropDatabase(name);
  }
}
