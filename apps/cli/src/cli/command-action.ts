import type { Command } from 'commander';
import { closeNotifications } from '../notify-io/command-notifications.js';
import type { CommandContext } from './command-context.js';

const contexts = new WeakMap<Command, CommandContext>();

/** Called by the program's preAction hook: every command gets its context before its action runs. */
export function attachCommandContext(command: Command, context: CommandContext): void {
  contexts.set(command, context);
}

/**
 * Wraps a command's handler for commander's .action(): the handler receives the CommandContext, then the
 * command's positional arguments. Handlers throw typed errors (never call process.exit); returning normally
 * means exit code 0, throwing PartialFailureError after rendering the result means 1. Notifications the command
 * emitted are sent before it returns, whether it succeeded or failed.
 */
export function commandAction<Args extends unknown[]>(
  handler: (context: CommandContext, ...args: Args) => Promise<void> | void,
): (...actionArguments: unknown[]) => Promise<void> {
  return async (...actionArguments) => {
    // commander calls an action with (...arguments, options, command).
    const command = actionArguments.at(-1) as Command;
    const context = contexts.get(command);
    if (context === undefined) {
      throw new Error(
        `command '${command.name()}' has no context: register it with parent.command() in a CommandModule`,
      );
    }
    try {
      await handler(context, ...(actionArguments.slice(0, -2) as Args));
    } finally {
      await closeNotifications(context);
    }
  };
}
