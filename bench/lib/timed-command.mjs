// Runs one measured command: wall time from this process's clock, peak RSS and CPU time from GNU time.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnAndWait } from './interrupts.mjs';
import { tail } from './processes.mjs';
import { round } from './statistics.mjs';

const GNU_TIME = '/usr/bin/time';

/** Whether /usr/bin/time is GNU time (the BSD/busybox ones have no -f %M). Checked once per run of the harness. */
export function gnuTimeAvailable() {
  if (!existsSync(GNU_TIME)) return false;
  const probe = spawnSync(GNU_TIME, ['-f', '%M', 'true'], { encoding: 'utf8' });
  return probe.status === 0 && /^\d+\s*$/m.test(probe.stderr);
}

export const GNU_TIME_MISSING =
  'peak RSS not measured: /usr/bin/time (GNU time) is missing; install Debian\'s "time" package (apt-get install -y time)';

/**
 * Runs `file args` and returns { ok, seconds, peakRssBytes, cpuSeconds, exitCode, error }.
 * %M is the peak resident set of the largest single process in the command's tree (wait4 reports the maximum over
 * the child and the descendants it reaped, not a sum), client side only: server memory is not counted for anyone.
 * stdout is discarded (our CLI prints its JSON result there); stderr is kept for the error message only.
 */
export async function runTimedCommand({ file, args, env, scratchDir, measureMemory }) {
  const statsFile = join(scratchDir, 'gnu-time.txt');
  const [command, commandArgs] = measureMemory
    ? [GNU_TIME, ['-f', '%M %U %S', '-o', statsFile, file, ...args]]
    : [file, args];
  const started = performance.now();
  const result = await spawnAndWait(command, commandArgs, { env });
  const seconds = round((performance.now() - started) / 1000, 3);
  const stats = measureMemory ? readStats(statsFile) : null;
  const ok = !result.error && result.status === 0;
  return {
    ok,
    seconds,
    peakRssBytes: stats?.peakRssBytes ?? null,
    cpuSeconds: stats?.cpuSeconds ?? null,
    exitCode: result.status ?? result.signal ?? null,
    error: ok ? null : result.error?.message || tail(result.stderr) || `exit status ${result.status ?? result.signal}`,
  };
}

/** GNU time writes "Command exited with non-zero status N" before the format line on failure: read the last line. */
function readStats(statsFile) {
  if (!existsSync(statsFile)) return null;
  const lines = readFileSync(statsFile, 'utf8').trim().split('\n');
  const match = /^(\d+) ([\d.]+) ([\d.]+)$/.exec(lines.at(-1) ?? '');
  if (!match) return null;
  return { peakRssBytes: Number(match[1]) * 1024, cpuSeconds: round(Number(match[2]) + Number(match[3]), 2) };
}
