// Every run's figures are kept: bench/results/<UTC date-time>.json, one file per run, so history accumulates and
// a regression can be traced to the day it appeared.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from './dbbackup-cli.mjs';

/** Writes the report and returns its path relative to the repository root. */
export function writeResultsFile(report) {
  const directory = join(repoRoot, 'bench/results');
  mkdirSync(directory, { recursive: true });
  // 2026-11-24T05:55:12.345Z → 2026-11-24T05-55-12Z: sortable, and no ':' (awkward in file names on some systems).
  const stamp = `${report.startedAt.slice(0, 19).replaceAll(':', '-')}Z`;
  const path = join(directory, `${stamp}.json`);
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
  return relative(repoRoot, path);
}
