import type { SampleSpec } from '@dbbackup/archive';
import { backupFilePath } from '../archive-io/backup-file-name.js';
import type { CommandContext } from '../cli/command-context.js';
import { engineOperation } from '../engines/engine-operation.js';
import { UsageError } from '../errors/cli-errors.js';
import type { Hooks } from '../hooks/run-hook.js';
import { runArchiveBackup } from './archive-backup.js';
import { databaseSizeCheck } from './backup-target.js';

export const SAMPLE_STRATEGIES = ['percent', 'rows'] as const;

/**
 * --sample-strategy and --sample-value as the contract's SampleSpec: percent greater than 0 and at most 100
 * (fractions allowed), rows a whole number of at least 1. Checked before anything is contacted.
 */
export function parseSampleSpec(strategy: SampleSpec['strategy'], valueText: string): SampleSpec {
  const value = valueText.trim() === '' ? Number.NaN : Number(valueText);
  if (strategy === 'percent' && !(Number.isFinite(value) && value > 0 && value <= 100)) {
    throw new UsageError(
      `invalid --sample-value '${valueText}' for percent: give a number greater than 0 and at most 100, e.g. --sample-strategy percent --sample-value 10`,
    );
  }
  if (strategy === 'rows' && !(Number.isSafeInteger(value) && value >= 1)) {
    throw new UsageError(
      `invalid --sample-value '${valueText}' for rows: give a whole number of at least 1, e.g. --sample-strategy rows --sample-value 1000`,
    );
  }
  return { strategy, value };
}

/**
 * `backup sample DB`: a reduced archive `<dir>/<database>-sample-<stamp>.dbb.tar` that still restores with every
 * foreign key intact (each table's own sample plus the rows it references, chosen by the engine).
 */
export async function backupSample(
  context: CommandContext,
  database: string,
  options: { sample: SampleSpec; verifyRestore: boolean; hooks: Hooks },
): Promise<void> {
  const { sample } = options;
  await runArchiveBackup(context, {
    kind: 'sample',
    hooks: options.hooks,
    database,
    filePath: (directory, startedAt) => backupFilePath(directory, `${database}-sample`, startedAt),
    sizeCheck: databaseSizeCheck(database),
    operation: (selected) => {
      const backupSampleOf = engineOperation(selected, 'backupSample');
      return (write) => backupSampleOf({ ...write, database, sample });
    },
    verifyRestore: options.verifyRestore,
    extras: () => ({ sample }),
  });
}
