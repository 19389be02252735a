import type { Command } from 'commander';

/**
 * One top-level command, in its own file under src/commands/, listed in src/commands/index.ts.
 *
 * register() must create the command with `parent.command(name)` (not `new Command()` + addCommand), so it
 * inherits the root's exit handling, error output, suggestions and help layout; it must call addExamples() and
 * set its action with commandAction(). Subcommands (`catalog sync`) are created the same way on the command.
 */
export interface CommandModule {
  register(parent: Command): Command;
}
