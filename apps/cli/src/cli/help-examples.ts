import type { Command } from 'commander';

export interface HelpExample {
  /** What the example does, shown as a comment above it. */
  description: string;
  /** The full command line, starting with `dbbackup`. */
  command: string;
}

/** Adds the "Examples:" section every command's --help must have (a test walks the command tree for it). */
export function addExamples<C extends Command>(command: C, examples: readonly HelpExample[]): C {
  if (examples.length === 0) throw new Error(`command '${command.name()}' needs at least one help example`);
  const text = examples.map((example) => `  # ${example.description}\n  $ ${example.command}`).join('\n\n');
  command.addHelpText('after', `\nExamples:\n${text}`);
  return command;
}
