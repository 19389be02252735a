// Runs a group of commands round by round (A B C, A B C, ...) rather than each N times in a row, so a slow spell
// of a shared machine hits ours and the references alike, and every ratio compares runs made side by side.
import { mkdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { onInterrupt } from './interrupts.mjs';
import { summarizeRuns } from './statistics.mjs';
import { diskBytes } from './temp-space.mjs';
import { runTimedCommand } from './timed-command.mjs';

/**
 * A command spec:
 *   id, label            stable key (results file, targets) and what the tables show
 *   ours                 true for dbbackup's own commands (their peak RSS counts for the memory target)
 *   kind                 'backup' | 'restore' | 'limit'
 *   unavailable          a reason (e.g. "not installed") instead of running it
 *   build(outDir)        → { file, args, env }; must be pure: it is also called once to record the command line
 *   before(), after()    untimed set-up and tear-down around every run (dropping a restore target)
 * Every run gets a fresh output directory, removed right after its size is taken.
 */
export async function runInterleaved(specs, { runs, temp, measureMemory, databaseBytes, log, logPrefix }) {
  const collected = specs.map(() => []);
  for (let round = 1; round <= runs; round++) {
    for (const [index, spec] of specs.entries()) {
      if (spec.unavailable) continue;
      const run = await runOnce(spec, { temp, measureMemory });
      collected[index].push(run);
      const memory = run.peakRssBytes === null ? '' : `, peak RSS ${(run.peakRssBytes / 1e6).toFixed(0)} MB`;
      const outcome = run.ok ? `${run.seconds.toFixed(2)} s${memory}` : `FAILED: ${run.error}`;
      log(`${logPrefix} run ${round}/${runs} ${spec.label}: ${outcome}`);
    }
  }
  return specs.map((spec, index) => describeResult(spec, collected[index], databaseBytes));
}

async function runOnce(spec, { temp, measureMemory }) {
  const scratchDir = temp.directory(spec.id);
  const outDir = join(scratchDir, 'out');
  mkdirSync(outDir);
  const { file, args, env } = spec.build(outDir);
  const forget = spec.after ? onInterrupt(spec.after) : () => {};
  try {
    spec.before?.();
    const run = await runTimedCommand({ file, args, env, scratchDir, measureMemory });
    return { ...run, outputBytes: run.ok ? diskBytes(outDir) : null };
  } finally {
    spec.after?.();
    forget();
    rmSync(scratchDir, { recursive: true, force: true });
  }
}

function describeResult(spec, runs, databaseBytes) {
  const base = { id: spec.id, label: spec.label, kind: spec.kind, ours: spec.ours, commandLine: commandLine(spec) };
  if (spec.unavailable) return { ...base, status: spec.unavailable, runs: [] };
  return { ...base, ...summarizeRuns(runs, databaseBytes), runs };
}

/** The command as a person would type it (output paths shown as <out>), for the results file. */
function commandLine(spec) {
  if (spec.unavailable) return null;
  const { file, args } = spec.build('<out>');
  const program = basename(file) === basename(process.execPath) ? 'node' : basename(file);
  return [program, ...args].map((arg) => (/^[\w@%+=:,./<>-]+$/.test(arg) ? arg : `'${arg}'`)).join(' ');
}
