import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';

export const appDirectory = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const builtCli = join(appDirectory, 'dist/main.js');

export interface CliProcessResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** A fresh empty directory, so no .dbbackup.conf from elsewhere is read; removed when the test ends. */
export function emptyDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 'dbbackup-cli-'));
  onTestFinished(() => rmSync(directory, { recursive: true, force: true }));
  return directory;
}

/**
 * Runs `node dist/main.js ...args` in `cwd` (default: a fresh empty directory). The environment is this
 * process's minus every DBBACKUP_*, PG* and MYSQL_* variable, plus `env`.
 */
export function runBuiltCli(
  args: readonly string[],
  options: { env?: Record<string, string>; cwd?: string; script?: string } = {},
): CliProcessResult {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(DBBACKUP_|PG|MYSQL_)/.test(name)),
  );
  const result = spawnSync(process.execPath, [options.script ?? builtCli, ...args], {
    cwd: options.cwd ?? emptyDirectory(),
    env: { ...inherited, ...options.env },
    encoding: 'utf8',
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
