import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { commandAction } from '../src/cli/command-action.js';
import type { CommandContext } from '../src/cli/command-context.js';
import { addExamples } from '../src/cli/help-examples.js';
import { runCli } from '../src/cli/run-cli.js';
import { COMMANDS } from '../src/commands/index.js';
import { PartialFailureError, UsageError } from '../src/errors/cli-errors.js';
import { exitCodeForError } from '../src/errors/exit-codes.js';
import { renderTable } from '../src/output/render-table.js';
import { inProcessProgram, walkCommands } from './support/in-process-program.js';
import { MemoryStream } from './support/memory-stream.js';
import { emptyDirectory } from './support/run-built-cli.js';

/** Adds a `probe` command the way a command module does, and runs argv through it like runCli. */
async function runProbe(
  argv: string[],
  handler: (context: CommandContext, name: string) => Promise<void> | void,
  options: { cwd?: string; env?: Record<string, string>; stderrIsTTY?: boolean } = {},
) {
  const stderr = new MemoryStream({ isTTY: options.stderrIsTTY ?? false, columns: 40 });
  const { program, stdout } = inProcessProgram({ cwd: options.cwd ?? emptyDirectory(), env: options.env, stderr });
  const probe = program.command('probe').argument('<name>').option('--limit <n>', 'how many');
  addExamples(probe, [{ description: 'probe', command: 'dbbackup probe x' }]);
  probe.action(commandAction(handler));
  let exitCode = 0;
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    exitCode = exitCodeForError(error);
  }
  return { stdout: stdout.text, stderr: stderr.text, exitCode };
}

describe('the command plug-in API', () => {
  it('gives a command its positional arguments, resolved config and typed own options', async () => {
    let seen: unknown;
    const result = await runProbe(
      ['--host', 'db1', 'probe', 'alpha', '--limit', '5', '--jobs', '4'],
      (context, name) => {
        const options = context.options(z.object({ limit: z.coerce.number().int().positive() }));
        seen = { name, limit: options.limit, host: context.config.host, jobs: context.config.jobs };
        expect(context.sources.host).toEqual({ kind: 'flag', flag: '--host' });
        expect(context.sources.user).toEqual({ kind: 'env', variable: 'PGUSER' });
      },
      { env: { PGUSER: 'ada' } },
    );
    expect(result.exitCode).toBe(0);
    expect(seen).toEqual({ name: 'alpha', limit: 5, host: 'db1', jobs: 4 });
  });

  it('turns a bad own option into a UsageError naming the flag', async () => {
    let caught: unknown;
    await runProbe(['probe', 'x', '--limit', 'lots'], (context) => {
      try {
        context.options(z.object({ limit: z.coerce.number().int() }));
      } catch (error) {
        caught = error;
      }
    });
    expect(caught).toBeInstanceOf(UsageError);
    expect((caught as Error).message).toMatch(/^invalid --limit: .*; see dbbackup probe --help$/);
  });

  it('renders one result: a table for people, one JSON document with --format json', async () => {
    const rows = [
      { name: 'shop', size: 1234 },
      { name: 'crm', size: 5 },
    ];
    const handler = (context: CommandContext) =>
      context.output.result(rows, (data) =>
        renderTable(data, [
          { header: 'NAME', value: (row) => row.name },
          { header: 'SIZE', value: (row) => row.size, align: 'right' },
        ]),
      );
    expect((await runProbe(['probe', 'x'], handler)).stdout).toBe('NAME  SIZE\nshop  1234\ncrm      5\n');
    const json = await runProbe(['probe', 'x', '--format', 'json'], handler);
    expect(JSON.parse(json.stdout)).toEqual(rows);
  });

  it('maps PartialFailureError to exit 1 after the result was printed', async () => {
    const result = await runProbe(['probe', 'x'], (context) => {
      context.output.result({ ok: 1 }, () => 'done');
      throw new PartialFailureError('1 of 2 databases failed');
    });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('done\n');
  });

  it('logs to stderr only; debug lines only with --debug and never the password', async () => {
    const handler = (context: CommandContext) => {
      context.logger.info('starting');
      context.logger.warn('careful');
      context.logger.debug('details');
    };
    const quiet = await runProbe(['probe', 'x'], handler);
    expect(quiet.stdout).toBe('');
    expect(quiet.stderr).toBe('starting\ndbbackup: warning: careful\n');

    const verbose = await runProbe(['--debug', 'probe', 'x'], handler, { env: { PGPASSWORD: 'hunter2' } });
    expect(verbose.stderr).toContain('debug: details\n');
    expect(verbose.stderr).toContain('password=[redacted] (PGPASSWORD)');
    expect(verbose.stderr).not.toContain('hunter2');
  });

  it('shows progress with \\r rewriting only on a terminal and never with --format json', async () => {
    const handler = (context: CommandContext) => {
      context.progress.update('10% of 1 GB');
      context.logger.info('a log line');
      context.progress.update('a progress line far too long for a forty column terminal');
      context.progress.stop();
    };
    const terminal = await runProbe(['probe', 'x'], handler, { stderrIsTTY: true });
    expect(terminal.stderr).toBe(
      '\r\x1b[K10% of 1 GB' +
        '\r\x1b[Ka log line\n10% of 1 GB' +
        '\r\x1b[Ka progress line far too long for a for…' +
        '\r\x1b[K',
    );
    expect((await runProbe(['probe', 'x'], handler, { stderrIsTTY: false })).stderr).toBe('a log line\n');
    expect((await runProbe(['--format', 'json', 'probe', 'x'], handler, { stderrIsTTY: true })).stderr).toBe(
      'a log line\n',
    );
  });

  it('saveConfigAfterSuccess remembers flags unless --no-save-config, --no-config or --dry-run', async () => {
    const save = (context: CommandContext) => context.saveConfigAfterSuccess();
    const saved = emptyDirectory();
    await runProbe(['--host', 'db1', 'probe', 'x'], save, { cwd: saved, env: { PGPASSWORD: 'hunter2' } });
    const text = readFileSync(join(saved, '.dbbackup.conf'), 'utf8');
    expect(text).toContain('host = db1\n');
    expect(text).not.toContain('hunter2');

    for (const flag of ['--no-save-config', '--no-config', '--dry-run']) {
      const directory = emptyDirectory();
      await runProbe(['--host', 'db1', flag, 'probe', 'x'], save, { cwd: directory });
      expect(readdirSync(directory)).toEqual([]);
    }
  });

  it('every registered command has examples in its --help', () => {
    expect(COMMANDS.length).toBeGreaterThan(0);
    const { program, stdout } = inProcessProgram();
    for (const command of walkCommands(program)) {
      stdout.chunks.length = 0;
      command.outputHelp();
      expect(stdout.text, `help of ${command.name()}`).toContain('Examples:');
    }
  });

  it('runCli returns 0 for help and 2 for errors', async () => {
    const runtime = () => ({ stdout: new MemoryStream(), stderr: new MemoryStream(), env: {}, cwd: emptyDirectory() });
    expect(await runCli(['--help'], runtime())).toBe(0);
    expect(await runCli(['help', 'version'], runtime())).toBe(0);
    expect(await runCli(['version', 'extra'], runtime())).toBe(2);
    expect(await runCli(['completion', 'tcsh'], runtime())).toBe(2);
  });
});
