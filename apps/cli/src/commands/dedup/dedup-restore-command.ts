import { resolve } from 'node:path';
import { formatBytes } from '@dbbackup/pipeline';
import type { Command } from 'commander';
import { z } from 'zod';
import { commandAction } from '../../cli/command-action.js';
import type { CommandContext } from '../../cli/command-context.js';
import { addExamples } from '../../cli/help-examples.js';
import { resolveDedupLocation } from '../../dedup-io/dedup-location.js';
import { bytesProgress, dedupProgress } from '../../dedup-io/dedup-progress.js';
import { withDedupStore } from '../../dedup-io/open-dedup-store.js';
import { fileRestoreTarget, type RestoreTarget, stdoutRestoreTarget } from '../../dedup-io/restore-target.js';
import { UsageError } from '../../errors/cli-errors.js';
import { renderKeyValues } from '../../output/render-table.js';
import { runInterruptible } from '../guarded-write.js';
import { refuseDryRun } from './dedup-dry-run.js';
import { addDedupDirOption, dedupStoreOptions } from './dedup-store-option.js';

const restoreOptions = dedupStoreOptions.extend({ force: z.boolean().optional() });

/** The JSON document of `dedup restore` to a file (a restore to stdout prints nothing else there). */
interface DedupRestoreReport {
  id: string;
  source: string;
  database: string | null;
  created: string;
  output: string;
  size: number;
  sha256: string;
  duration_ms: number;
}

/** `dbbackup dedup restore ID OUT|-`: a snapshot's bytes, checked chunk by chunk and whole, into a file or stdout. */
export function registerDedupRestore(dedup: Command): void {
  const command = dedup
    .command('restore')
    .description(
      'write a snapshot back out, byte for byte: every chunk and the whole stream are checked. A file is written as OUT.partial and renamed when complete; an existing OUT is kept unless --force',
    )
    .argument('<id>', 'the snapshot: its id, a unique prefix of it (dedup list shows 8 digits) or latest')
    .argument('<out>', 'the file to write, or - for stdout');
  addDedupDirOption(command).option('--force', 'replace OUT when it exists');
  addExamples(command, [
    {
      description: 'a snapshot into a file',
      command: 'dbbackup dedup restore 3f2a9c01 shop.sql --dedup-dir /srv/dedup',
    },
    {
      description: 'the latest snapshot of a database dump straight into psql',
      command: 'dbbackup dedup restore latest - --dedup-dir /srv/dedup | psql -X -v ON_ERROR_STOP=1 -d shop_copy',
    },
  ]);
  command.action(commandAction((context, id: string, out: string) => dedupRestore(context, id, out)));
}

async function dedupRestore(context: CommandContext, id: string, out: string): Promise<void> {
  const options = context.options(restoreOptions);
  refuseDryRun(context, 'restore');
  if (out === '-' && context.config.format === 'json') {
    throw new UsageError(
      'dedup restore ID - writes the snapshot to stdout, where --format json would put its document too: restore into a file for the JSON report, or drop --format json',
    );
  }
  const location = resolveDedupLocation(context, options.dedupDir, 'restore');
  const target: RestoreTarget =
    out === '-' ? stdoutRestoreTarget() : await fileRestoreTarget(resolve(context.cwd, out), options.force === true);

  const report = await withDedupStore(context, { location, create: false }, async (store) => {
    // Resolved first for its size (progress); the restore itself takes the shared lock that keeps gc away.
    const snapshot = await store.findSnapshot(id);
    return runInterruptible(context, async (signal) => {
      const progress = dedupProgress(context);
      const startedAt = performance.now();
      try {
        await target.write(
          (destination) => store.restore(snapshot.id, destination, { signal }),
          (bytes) =>
            progress.update(
              (seconds) => `dedup restore ${snapshot.id.slice(0, 8)}  ${bytesProgress(bytes, snapshot.size, seconds)}`,
            ),
        );
      } finally {
        progress.stop();
      }
      return {
        id: snapshot.id,
        source: snapshot.source,
        database: snapshot.database,
        created: snapshot.created,
        output: target.name,
        size: snapshot.size,
        sha256: snapshot.sha256,
        duration_ms: Math.round(performance.now() - startedAt),
      } satisfies DedupRestoreReport;
    });
  });
  if (out !== '-') {
    context.output.result(report, (document) =>
      renderKeyValues([
        ['restored', document.id],
        ['source', document.source],
        ['to', document.output],
        ['size', `${formatBytes(document.size)} (sha256 ${document.sha256}, checked)`],
        ['duration', `${(document.duration_ms / 1000).toFixed(1)} s`],
      ]),
    );
  }
  await context.saveConfigAfterSuccess();
}
