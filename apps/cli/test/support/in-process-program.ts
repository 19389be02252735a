import type { Command } from 'commander';
import type { CliRuntime } from '../../src/cli/cli-runtime.js';
import { CliSession } from '../../src/cli/cli-session.js';
import { createProgram } from '../../src/cli/create-program.js';
import { MemoryStream } from './memory-stream.js';

/** The real program with in-memory streams, for tests that add commands or inspect the tree. */
export function inProcessProgram(runtime: Partial<CliRuntime> = {}): {
  program: Command;
  stdout: MemoryStream;
  stderr: MemoryStream;
} {
  const stdout = (runtime.stdout as MemoryStream | undefined) ?? new MemoryStream();
  const stderr = (runtime.stderr as MemoryStream | undefined) ?? new MemoryStream();
  const session = new CliSession({
    stdout,
    stderr,
    env: runtime.env ?? {},
    cwd: runtime.cwd ?? process.cwd(),
    hostFacts: runtime.hostFacts ?? { homeDirectory: '/home/test', cpuCount: 2 },
  });
  return { program: createProgram(session), stdout, stderr };
}

export function walkCommands(command: Command): Command[] {
  return [command, ...command.commands.flatMap(walkCommands)];
}
