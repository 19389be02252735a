import type { CommandContext } from '../../cli/command-context.js';
import { describeOrigin } from '../../config/value-origin.js';
import { UsageError } from '../../errors/cli-errors.js';

/**
 * Backups and restores have no dry run (only delete, prune and gc do): refused rather than ignored, so a script
 * that passes --dry-run (or sets DBBACKUP_DRY_RUN) never writes data believing it would not.
 */
export function refuseDryRun(context: CommandContext, commandName: string): void {
  if (!context.config.dryRun) return;
  const origin = context.sources.dryRun;
  throw new UsageError(
    `dedup ${commandName} has no dry run (dedup delete, prune and gc have one): drop ${origin.kind === 'flag' ? '--dry-run' : `the dry run set by ${describeOrigin(origin)}`}`,
  );
}
