import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
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

let catalogDirectory: string | undefined;

/**
 * Every backup, verify and restore records itself in a catalog: unless a test names one, they share this
 * throwaway one (per test file, removed when it ends), never ~/.dbbackup/catalog.db. Usable from beforeAll.
 */
export function throwawayCatalog(): string {
  if (catalogDirectory === undefined) {
    const directory = mkdtempSync(join(tmpdir(), 'dbbackup-catalog-'));
    catalogDirectory = directory;
    process.once('exit', () => rmSync(directory, { recursive: true, force: true }));
  }
  return join(catalogDirectory, 'catalog.db');
}

/**
 * Runs `node dist/main.js ...args` in `cwd` (default: a fresh empty directory). The environment is this
 * process's minus every DBBACKUP_*, PG*, MYSQL_* and NOTIFY_* variable, plus a throwaway DBBACKUP_CATALOG, plus `env`.
 */
export function runBuiltCli(
  args: readonly string[],
  options: { env?: Record<string, string>; cwd?: string; script?: string } = {},
): CliProcessResult {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(DBBACKUP_|PG|MYSQL_|NOTIFY_)/.test(name)),
  );
  const catalog = { DBBACKUP_CATALOG: throwawayCatalog() };
  const result = spawnSync(process.execPath, [options.script ?? builtCli, ...args], {
    cwd: options.cwd ?? emptyDirectory(),
    env: { ...inherited, ...catalog, ...options.env },
    encoding: 'utf8',
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * The built CLI as a child process that does not block this one: for tests whose servers (s3rver, the GCS test
 * server) answer from the test process, where runBuiltCli's spawnSync would deadlock. The environment is this
 * process's minus every DBBACKUP_*, PG*, MYSQL_*, AWS_* and NOTIFY_* variable (so only the test's own credentials apply), plus
 * `env`; `--no-config` and, unless the arguments name one, a throwaway `--catalog` are added.
 */
export function spawnBuiltCli(
  args: readonly string[],
  options: { env?: Record<string, string | undefined>; cwd: string },
): ChildProcess {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(DBBACKUP_|PG|MYSQL_|AWS_|NOTIFY_)/.test(name)),
  );
  const catalog = args.includes('--catalog') ? [] : ['--catalog', throwawayCatalog()];
  return spawn(process.execPath, [builtCli, ...args, ...catalog, '--no-config'], {
    cwd: options.cwd,
    env: { ...inherited, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** spawnBuiltCli, resolved with the exit status and the whole output once the process has ended. */
export function runBuiltCliAsync(
  args: readonly string[],
  options: { env?: Record<string, string | undefined>; cwd: string },
): Promise<CliProcessResult> {
  const child = spawnBuiltCli(args, options);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => {
    stdout += text;
  });
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}
