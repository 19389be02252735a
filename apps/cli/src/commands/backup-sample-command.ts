import { type Command, Option } from 'commander';
import { z } from 'zod';
import { commandAction } from '../cli/command-action.js';
import { addExamples } from '../cli/help-examples.js';
import { addHookOptions, hookOptionsSchema, hooksFrom } from '../hooks/hook-options.js';
import { backupSample, parseSampleSpec, SAMPLE_STRATEGIES } from './backup-sample.js';
import { VERIFY_RESTORE_DESCRIPTION } from './verify-restore-option.js';

const backupSampleOptions = hookOptionsSchema.extend({
  sampleStrategy: z.enum(SAMPLE_STRATEGIES),
  sampleValue: z.string(),
  verifyRestore: z.boolean().optional(),
});

/** `dbbackup backup sample DB`: a reduced archive that restores without foreign key violations. */
export function registerBackupSample(backup: Command): void {
  const sample = backup
    .command('sample')
    .description(
      'back up a sample of one database into <backup-dir>/<database>-sample-<UTC time>.dbb.tar: each table’s own sample plus every row it references, so it restores with all foreign keys',
    )
    .argument('<database>', 'database to sample')
    .addOption(
      new Option(
        '--sample-strategy <strategy>',
        'percent: that share of each table’s rows; rows: the first N rows of each table (primary key order)',
      )
        .choices(SAMPLE_STRATEGIES)
        .makeOptionMandatory(),
    )
    .requiredOption('--sample-value <n>', 'percent: greater than 0, at most 100; rows: a whole number of at least 1')
    .option('--verify-restore', VERIFY_RESTORE_DESCRIPTION);
  addHookOptions(sample, 'backup');
  addExamples(sample, [
    {
      description: 'about 10% of every table of shop, plus the rows those reference',
      command: 'dbbackup backup sample shop -d postgres --sample-strategy percent --sample-value 10',
    },
    {
      description: 'the first 1000 rows of every table, into ./samples, as JSON',
      command:
        'dbbackup backup sample shop -d postgres --sample-strategy rows --sample-value 1000 --backup-dir ./samples --format json',
    },
    {
      description: 'load the sample into a new database for development',
      command: 'dbbackup restore single ./samples/shop-sample-20261123T221500Z.dbb.tar --target shop_dev --create',
    },
  ]);
  sample.action(
    commandAction(async (context, database: string) => {
      const options = context.options(backupSampleOptions);
      await backupSample(context, database, {
        sample: parseSampleSpec(options.sampleStrategy, options.sampleValue),
        verifyRestore: options.verifyRestore === true,
        hooks: hooksFrom(options),
      });
    }),
  );
}
