import type { Command } from 'commander';
import { commandAction } from '../../cli/command-action.js';
import type { CommandContext } from '../../cli/command-context.js';
import { addExamples } from '../../cli/help-examples.js';
import { resolveDedupLocation } from '../../dedup-io/dedup-location.js';
import { withDedupStore } from '../../dedup-io/open-dedup-store.js';
import { renderKeyValues } from '../../output/render-table.js';
import { addDedupDirOption, dedupStoreOptions } from './dedup-store-option.js';
import { describeGc, type GcReportDocument, gcReportDocument } from './gc-report-document.js';

/** The JSON document of `dedup gc`. */
interface DedupGcReport extends GcReportDocument {
  store: string;
}

/** `dbbackup dedup gc [--dry-run]`: delete (or repack) the packs no snapshot needs any more. */
export function registerDedupGc(dedup: Command): void {
  const command = dedup
    .command('gc')
    .description(
      'free the space of deleted snapshots: delete packs no snapshot needs, repack those less than half needed, remove what interrupted backups left. Takes an exclusive lock: refused while a backup or restore runs',
    );
  addDedupDirOption(command);
  addExamples(command, [
    { description: 'after dedup delete', command: 'dbbackup dedup gc --dedup-dir /srv/dedup' },
    { description: 'how much it would free', command: 'dbbackup dedup gc --dedup-dir /srv/dedup --dry-run' },
  ]);
  command.action(commandAction((context) => dedupGc(context)));
}

async function dedupGc(context: CommandContext): Promise<void> {
  const options = context.options(dedupStoreOptions);
  const location = resolveDedupLocation(context, options.dedupDir, 'gc');
  const report = await withDedupStore(context, { location, create: false }, async (store) => {
    context.progress.update('dedup gc: marking what the snapshots need…');
    try {
      return { store: store.location, ...gcReportDocument(await store.gc({ dryRun: context.config.dryRun })) };
    } finally {
      context.progress.stop();
    }
  });
  context.output.result(report satisfies DedupGcReport, (document) =>
    renderKeyValues([
      ['store', document.store],
      ['gc', describeGc(document)],
      ['packs', `${document.packs_before} → ${document.packs_after}`],
    ]),
  );
  await context.saveConfigAfterSuccess();
}
