// The suites that are plain scripts measuring one package in-process (no database): run as before, in their own
// Node process, printing their own markdown.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './dbbackup-cli.mjs';

export const SCRIPT_SUITES = {
  pipeline: 'bench/pipeline-bench.mjs',
  dedup: 'packages/dedup-store/bench/chunker-bench.mjs',
};

/** Returns the script's exit status (0 when it ran cleanly). */
export function runScriptSuite(name) {
  console.log(`\n## ${name}\n`);
  const result = spawnSync(process.execPath, [join(repoRoot, SCRIPT_SUITES[name])], { stdio: 'inherit' });
  return result.status ?? 1;
}
