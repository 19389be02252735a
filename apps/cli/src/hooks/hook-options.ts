import type { Command } from 'commander';
import { z } from 'zod';
import type { Hooks } from './run-hook.js';

/** The hook flags' part of a command's option schema. */
export const hookOptionsSchema = z.object({ preHook: z.string().optional(), postHook: z.string().optional() });

/**
 * --pre-hook and --post-hook on a backup or restore command. Per command, not global settings: a hook written for
 * backups (VACUUM ANALYZE first) must not run before a restore, so they are never saved to .dbbackup.conf.
 */
export function addHookOptions(command: Command, operation: 'backup' | 'restore'): Command {
  return command
    .option(
      '--pre-hook <command>',
      `shell command run before the ${operation} (sh -c, with DBBACKUP_DATABASE, DBBACKUP_PATH, ... set); if it fails, the ${operation} does not start`,
    )
    .option(
      '--post-hook <command>',
      `shell command run after the ${operation}, also when it failed (DBBACKUP_STATUS=success|failed, DBBACKUP_ERROR, DBBACKUP_BYTES, DBBACKUP_DURATION_MS); if it fails, a warning`,
    );
}

export function hooksFrom(options: z.infer<typeof hookOptionsSchema>): Hooks {
  return { pre: options.preHook, post: options.postHook };
}
