import { formatBytes } from '@dbbackup/pipeline';
import type { Command } from 'commander';
import { commandAction } from '../../cli/command-action.js';
import type { CommandContext } from '../../cli/command-context.js';
import { addExamples } from '../../cli/help-examples.js';
import { locationFlag, resolveDedupLocation } from '../../dedup-io/dedup-location.js';
import { withDedupStore } from '../../dedup-io/open-dedup-store.js';
import { type SnapshotDocument, snapshotDocument, tableTime } from '../../dedup-io/snapshot-document.js';
import { renderKeyValues } from '../../output/render-table.js';
import { addDedupDirOption, dedupStoreOptions } from './dedup-store-option.js';

/** The JSON document of `dedup delete`. */
interface DedupDeleteReport {
  store: string;
  dry_run: boolean;
  id: string;
  /** What the snapshot was; null when its manifest was damaged (deleting is how such a snapshot is got rid of). */
  snapshot: SnapshotDocument | null;
}

/** `dbbackup dedup delete ID [--dry-run]`: removes one snapshot; its chunks stay until `dedup gc`. */
export function registerDedupDelete(dedup: Command): void {
  const command = dedup
    .command('delete')
    .description(
      'delete one snapshot (also one whose manifest is damaged); the space its chunks alone use is freed by dedup gc',
    )
    .argument('<id>', 'the snapshot: its id, a unique prefix of it or latest');
  addDedupDirOption(command);
  addExamples(command, [
    {
      description: 'delete a snapshot, then free its space',
      command: 'dbbackup dedup delete 3f2a9c01 --dedup-dir /srv/dedup && dbbackup dedup gc --dedup-dir /srv/dedup',
    },
    { description: 'which snapshot would go', command: 'dbbackup dedup delete 3f2a --dedup-dir /srv/dedup --dry-run' },
  ]);
  command.action(commandAction((context, id: string) => dedupDelete(context, id)));
}

async function dedupDelete(context: CommandContext, id: string): Promise<void> {
  const options = context.options(dedupStoreOptions);
  const location = resolveDedupLocation(context, options.dedupDir, 'delete');
  const dryRun = context.config.dryRun;
  const report = await withDedupStore(
    context,
    { location, create: false },
    async (store): Promise<DedupDeleteReport> => {
      if (dryRun) {
        const snapshot = await store.findSnapshot(id);
        return { store: store.location, dry_run: true, id: snapshot.id, snapshot: snapshotDocument(snapshot) };
      }
      const deleted = await store.deleteSnapshot(id);
      return {
        store: store.location,
        dry_run: false,
        id: deleted.id,
        snapshot: deleted.snapshot === null ? null : snapshotDocument(deleted.snapshot),
      };
    },
  );
  context.output.result(report, (document) => {
    const { snapshot } = document;
    return renderKeyValues([
      [document.dry_run ? 'would delete' : 'deleted', document.id],
      ...(snapshot === null
        ? [['snapshot', 'its manifest was damaged'] as const]
        : [
            ['source', snapshot.source] as const,
            ['created', tableTime(snapshot.created)] as const,
            ['size', formatBytes(snapshot.size)] as const,
          ]),
      ['next', `dbbackup dedup gc ${locationFlag(location)} frees the space only this snapshot used`],
    ]);
  });
  await context.saveConfigAfterSuccess();
}
