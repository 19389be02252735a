#!/usr/bin/env node
// `pnpm bench`: runs every benchmark suite in turn (built packages only; run `pnpm build` first).
// Suites print markdown tables on stdout. Pass suite names to run a subset: `pnpm bench pipeline`.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// Paths are relative to this folder; a package's own benchmark is run where it lives.
const suites = {
  pipeline: 'pipeline-bench.mjs',
  dedup: '../packages/dedup-store/bench/chunker-bench.mjs',
};
const wanted = process.argv.slice(2).filter((arg) => arg !== '--');
const selected = wanted.length > 0 ? wanted : Object.keys(suites);
let failed = false;
for (const name of selected) {
  const file = suites[name];
  if (!file) {
    console.error(`bench: unknown suite "${name}"; known suites: ${Object.keys(suites).join(', ')}`);
    process.exit(2);
  }
  console.log(`\n## ${name}\n`);
  const result = spawnSync(process.execPath, [join(here, file)], { stdio: 'inherit' });
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
