import type { Command } from 'commander';
import { commandAction } from '../../cli/command-action.js';
import type { CommandContext } from '../../cli/command-context.js';
import { addExamples } from '../../cli/help-examples.js';
import { locationFlag, resolveDedupLocation } from '../../dedup-io/dedup-location.js';
import { withDedupStore } from '../../dedup-io/open-dedup-store.js';
import { PartialFailureError } from '../../errors/cli-errors.js';
import { counted } from '../../output/counted.js';
import { renderKeyValues } from '../../output/render-table.js';
import { addDedupDirOption, dedupStoreOptions } from './dedup-store-option.js';

/** The JSON document of `dedup rebuild-index`. */
interface DedupRebuildIndexReport {
  store: string;
  packs: number;
  blobs: number;
  /** Packs whose header could not be read: left out of the new index (gc then deletes them). */
  damaged_packs: { pack_id: string; message: string }[];
  index_files_written: number;
  index_files_removed: number;
}

/** `dbbackup dedup rebuild-index`: the repair `dedup verify` suggests for a damaged or lost index. */
export function registerDedupRebuildIndex(dedup: Command): void {
  const command = dedup
    .command('rebuild-index')
    .description(
      'rewrite the index from the packs’ own headers: the repair when dedup verify reports a damaged index, an index mismatch or a missing chunk. Takes an exclusive lock',
    );
  addDedupDirOption(command);
  addExamples(command, [
    {
      description: 'repair, then check again',
      command: 'dbbackup dedup rebuild-index --dedup-dir /srv/dedup && dbbackup dedup verify --dedup-dir /srv/dedup',
    },
  ]);
  command.action(commandAction((context) => dedupRebuildIndex(context)));
}

async function dedupRebuildIndex(context: CommandContext): Promise<void> {
  const options = context.options(dedupStoreOptions);
  const location = resolveDedupLocation(context, options.dedupDir, 'rebuild-index');
  const report = await withDedupStore(context, { location, create: false }, async (store) => {
    context.progress.update('dedup rebuild-index: reading pack headers…');
    try {
      const rebuilt = await store.rebuildIndex();
      return {
        store: store.location,
        packs: rebuilt.packs,
        blobs: rebuilt.blobs,
        damaged_packs: rebuilt.damagedPacks.map((pack) => ({ pack_id: pack.packId, message: pack.message })),
        index_files_written: rebuilt.indexFilesWritten,
        index_files_removed: rebuilt.indexFilesRemoved,
      } satisfies DedupRebuildIndexReport;
    } finally {
      context.progress.stop();
    }
  });
  context.output.result(report, (document) =>
    renderKeyValues([
      ['store', document.store],
      ['indexed', `${counted(document.packs, 'pack')}, ${counted(document.blobs, 'blob')}`],
      ['index files', `${document.index_files_written} written, ${document.index_files_removed} removed`],
      ...document.damaged_packs.map((pack) => ['damaged', pack.message] as const),
    ]),
  );
  const [firstDamaged] = report.damaged_packs;
  if (firstDamaged) {
    throw new PartialFailureError(
      `the index was rebuilt without ${counted(report.damaged_packs.length, 'damaged pack')} (first: ${firstDamaged.pack_id}); run dbbackup dedup verify ${locationFlag(location)} to see which snapshots lost chunks`,
    );
  }
  await context.saveConfigAfterSuccess();
}
