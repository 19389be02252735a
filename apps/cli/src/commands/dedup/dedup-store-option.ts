import type { Command } from 'commander';
import { z } from 'zod';

/** --dedup-dir on every dedup subcommand (the store may instead be the global --cloud URI). */
export function addDedupDirOption<C extends Command>(command: C): C {
  command.option('--dedup-dir <dir>', 'the dedup store in a local directory (or give the global --cloud URI instead)');
  return command;
}

/** The options every dedup subcommand has; extend it with the command's own. */
export const dedupStoreOptions = z.object({ dedupDir: z.string().min(1).optional() });
