import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';

export const appDirectory = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const exporterBin = join(appDirectory, 'bin/dbbackup-exporter.js');

/** This process's environment without DBBACKUP_*, plus `env`: the tests choose the catalog themselves. */
function childEnvironment(env: Record<string, string> = {}): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('DBBACKUP_')));
  return { ...inherited, ...env };
}

/** A new directory, removed when the test ends. */
export async function tempDirectory(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'exporter-test-'));
  onTestFinished(() => rm(directory, { recursive: true, force: true }));
  return directory;
}

/** Runs the exporter to completion (for --help, --version, bad flags). */
export function runExporter(args: readonly string[], env?: Record<string, string>) {
  const result = spawnSync(process.execPath, [exporterBin, ...args], { env: childEnvironment(env), encoding: 'utf8' });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export interface RunningExporter {
  child: ChildProcess;
  /** From the startup line, e.g. http://127.0.0.1:40123/ */
  url: string;
  stderr(): string;
  /** Exit status and signal once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts the built exporter (any free port unless `args` say otherwise) and resolves once its startup line names
 * the address it serves; rejects with its stderr when it ends first. Killed when the test ends, if still running.
 */
export function startExporter(args: readonly string[], env?: Record<string, string>): Promise<RunningExporter> {
  const child = spawn(process.execPath, [exporterBin, ...args], {
    env: childEnvironment(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let stderr = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  return new Promise((resolve, reject) => {
    child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
      const url = /serving (http:\/\/\S+\/)metrics/.exec(stderr)?.[1];
      if (url !== undefined) resolve({ child, url, stderr: () => stderr, exited });
    });
    void exited.then(({ code }) => reject(new Error(`the exporter exited (${code}) before serving: ${stderr}`)));
  });
}
