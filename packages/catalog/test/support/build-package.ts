import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDirectory = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * vitest globalSetup: `tsup` once, so the tests that run the catalog in child processes (concurrent writers) load
 * the current sources from dist/ rather than a stale build.
 */
export default function buildPackage(): void {
  const tsupCli = join(dirname(createRequire(import.meta.url).resolve('tsup')), 'cli-default.js');
  execFileSync(process.execPath, [tsupCli, '--silent'], {
    cwd: packageDirectory,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
