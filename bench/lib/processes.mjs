// Untimed child processes: finding tools on PATH, running helpers whose failure stops a suite, reading one value.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { BenchCommandError } from './errors.mjs';
import { spawnAndWait } from './interrupts.mjs';

/** The absolute path of an executable on PATH, or null: lets a suite say "not installed" instead of failing. */
export function findExecutable(name, env = process.env) {
  for (const directory of (env.PATH ?? '').split(delimiter)) {
    if (!directory) continue;
    const candidate = join(directory, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return null;
}

/** The end of a tool's stderr: enough to see why it failed without flooding the report. */
export function tail(text, characters = 600) {
  // One line: the harness's messages and table cells are single lines.
  const trimmed = String(text ?? '')
    .trim()
    .replace(/\s*\n\s*/g, ' ');
  return trimmed.length > characters ? `…${trimmed.slice(-characters)}` : trimmed;
}

/**
 * Runs a short helper (a query, a DROP) to completion and returns its stdout; throws BenchCommandError (with
 * stderr) when it fails. Synchronous, so clean-ups can use it from a signal handler.
 */
export function runChecked(description, file, args, { env, input } = {}) {
  const result = spawnSync(file, args, {
    env,
    input,
    encoding: 'utf8',
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.error) throw new BenchCommandError(description, result.error.message);
  if (result.status !== 0) {
    const why = tail(result.stderr) || `exit status ${result.status ?? result.signal}`;
    throw new BenchCommandError(description, why);
  }
  return result.stdout;
}

/** Runs a long helper (building a database, an untimed backup) so that Ctrl-C stops it; throws when it fails. */
export async function runCheckedAsync(description, file, args, { env }) {
  const result = await spawnAndWait(file, args, { env });
  if (result.error) throw new BenchCommandError(description, result.error.message);
  if (result.status !== 0) {
    throw new BenchCommandError(description, tail(result.stderr) || `exit status ${result.status ?? result.signal}`);
  }
}
