import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const appDirectory = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** vitest globalSetup: `tsup` once, so the tests that spawn bin/dbbackup-exporter.js run the current sources. */
export default function buildExporter(): void {
  const tsupCli = join(dirname(createRequire(import.meta.url).resolve('tsup')), 'cli-default.js');
  execFileSync(process.execPath, [tsupCli, '--silent'], { cwd: appDirectory, stdio: ['ignore', 'ignore', 'inherit'] });
}
