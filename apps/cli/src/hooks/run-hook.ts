import { spawn } from 'node:child_process';
import type { CommandContext } from '../cli/command-context.js';
import { CliError } from '../errors/cli-errors.js';

export type HookPhase = 'pre' | 'post';

/** The shell commands a backup or restore runs around itself (--pre-hook, --post-hook). */
export interface Hooks {
  pre?: string | undefined;
  post?: string | undefined;
}

/** What a hook learns through DBBACKUP_* variables; undefined values are left out. */
export interface HookFacts {
  operation: 'backup' | 'restore';
  kind: 'single' | 'cluster' | 'sample';
  engine: string;
  database: string | null;
  /** The backup file written or read. */
  path: string;
  host?: string | undefined;
  port?: number | undefined;
}

/** What the post-hook adds: how the run ended. */
export interface HookOutcome {
  status: 'success' | 'failed';
  error?: string;
  bytes?: number;
  durationMs: number;
}

/** The pre-hook failed: the backup or restore did not start. Exit 2. */
export class PreHookFailedError extends CliError {
  constructor(operation: string, command: string, reason: string) {
    super(
      `--pre-hook failed (${reason}): ${command}; the ${operation} was not started, fix the hook or drop --pre-hook`,
      2,
    );
  }
}

/**
 * Runs `run` between the hooks. The pre-hook runs first and a failure aborts before anything is touched; the
 * post-hook runs afterwards whether `run` succeeded or failed (DBBACKUP_STATUS tells which), and its own failure
 * is a warning: the backup it reports on is already written. Hooks never run in a --dry-run.
 */
export async function withHooks<T>(
  context: CommandContext,
  hooks: Hooks,
  facts: HookFacts,
  run: () => Promise<T>,
  outcomeOf: (result: T) => Omit<HookOutcome, 'status' | 'durationMs'> = () => ({}),
): Promise<T> {
  if (hooks.pre) {
    const failure = await runHook(context, 'pre', hooks.pre, hookEnvironment(facts));
    if (failure) throw new PreHookFailedError(facts.operation, hooks.pre, failure);
  }
  const started = performance.now();
  let result: T;
  try {
    result = await run();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await runPostHook(context, hooks, facts, { status: 'failed', error: message, durationMs: elapsed(started) });
    throw error;
  }
  await runPostHook(context, hooks, facts, { status: 'success', ...outcomeOf(result), durationMs: elapsed(started) });
  return result;
}

async function runPostHook(context: CommandContext, hooks: Hooks, facts: HookFacts, outcome: HookOutcome) {
  if (!hooks.post) return;
  const failure = await runHook(context, 'post', hooks.post, hookEnvironment(facts, outcome));
  if (failure)
    context.logger.warn(
      `--post-hook failed (${failure}): ${hooks.post}; the ${facts.operation} itself ${outcome.status === 'success' ? 'succeeded' : 'had failed'}`,
    );
}

/** DBBACKUP_OPERATION, DBBACKUP_DATABASE, DBBACKUP_PATH, ... (and DBBACKUP_STATUS etc. for the post-hook). */
export function hookEnvironment(facts: HookFacts, outcome?: HookOutcome): Record<string, string> {
  const values: Record<string, string | number | undefined> = {
    DBBACKUP_HOOK: outcome ? 'post' : 'pre',
    DBBACKUP_OPERATION: facts.operation,
    DBBACKUP_KIND: facts.kind,
    DBBACKUP_ENGINE: facts.engine,
    DBBACKUP_DATABASE: facts.database ?? undefined,
    DBBACKUP_PATH: facts.path,
    DBBACKUP_HOST: facts.host,
    DBBACKUP_PORT: facts.port,
    DBBACKUP_STATUS: outcome?.status,
    DBBACKUP_ERROR: outcome?.error,
    DBBACKUP_BYTES: outcome?.bytes,
    DBBACKUP_DURATION_MS: outcome === undefined ? undefined : Math.round(outcome.durationMs),
  };
  return Object.fromEntries(
    Object.entries(values)
      .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
      .map(([name, value]) => [name, String(value)]),
  );
}

/**
 * Runs one hook through `sh -c` with the run's environment plus the DBBACKUP_* facts. Its stdout and stderr go to
 * dbbackup's stderr, so stdout keeps only the command's result (JSON stays parseable). Resolves with a reason when
 * it failed (exit status, signal, or a shell that could not start), undefined when it exited 0.
 */
function runHook(
  context: CommandContext,
  phase: HookPhase,
  command: string,
  facts: Record<string, string>,
): Promise<string | undefined> {
  context.logger.debug(`running --${phase}-hook: ${command}`);
  context.progress.stop();
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', command], {
      cwd: context.cwd,
      env: { ...context.env, ...facts },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = lineForwarder((line) => context.logger.info(line));
    const err = lineForwarder((line) => context.logger.info(line));
    child.stdout.on('data', out.push);
    child.stderr.on('data', err.push);
    child.on('error', (error) => resolve(`could not start /bin/sh: ${error.message}`));
    child.on('close', (code, signal) => {
      out.end();
      err.end();
      if (signal) resolve(`killed by ${signal}`);
      else if (code !== 0) resolve(`exit status ${code}`);
      else resolve(undefined);
    });
  });
}

/** Passes a child's output on line by line (dbbackup's stderr may be showing a progress line between them). */
function lineForwarder(write: (line: string) => void): { push: (chunk: Buffer) => void; end: () => void } {
  let pending = '';
  return {
    push: (chunk) => {
      const lines = (pending + chunk.toString('utf8')).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) write(line);
    },
    end: () => {
      if (pending.length > 0) write(pending);
      pending = '';
    },
  };
}

function elapsed(started: number): number {
  return performance.now() - started;
}
