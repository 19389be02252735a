import { formatBytes } from '@dbbackup/pipeline';
import type { Command } from 'commander';
import { commandAction } from '../../cli/command-action.js';
import type { CommandContext } from '../../cli/command-context.js';
import { addExamples } from '../../cli/help-examples.js';
import { describeLocation } from '../../dedup-io/dedup-cli-errors.js';
import { locationFlag, resolveDedupLocation } from '../../dedup-io/dedup-location.js';
import { withDedupStore } from '../../dedup-io/open-dedup-store.js';
import { shortSnapshotId, snapshotDocument, tableTime } from '../../dedup-io/snapshot-document.js';
import { renderTable } from '../../output/render-table.js';
import { addDedupDirOption, dedupStoreOptions } from './dedup-store-option.js';

/** `dbbackup dedup list`: the snapshots, oldest first. JSON: an array of snapshot documents. */
export function registerDedupList(dedup: Command): void {
  const command = dedup
    .command('list')
    .description('the snapshots in the store, oldest first: id, created, size, database, engine, source');
  addDedupDirOption(command);
  addExamples(command, [
    { description: 'the snapshots of a local store', command: 'dbbackup dedup list --dedup-dir /srv/dedup' },
    {
      description: 'as JSON, from an encrypted store in S3',
      command:
        'dbbackup dedup list --cloud s3://backups/dedup/ --encryption-key-file /etc/dbbackup/dedup.key --format json',
    },
  ]);
  command.action(commandAction((context) => dedupList(context)));
}

async function dedupList(context: CommandContext): Promise<void> {
  const options = context.options(dedupStoreOptions);
  const location = resolveDedupLocation(context, options.dedupDir, 'list');
  const snapshots = await withDedupStore(context, { location, create: false }, (store) => store.listSnapshots());
  context.output.result(snapshots.map(snapshotDocument), (documents) =>
    documents.length === 0
      ? `no snapshots in the dedup store at ${describeLocation(location)}; dbbackup dedup backup FILE ${locationFlag(location)} adds one`
      : renderTable(documents, [
          { header: 'id', value: (row) => shortSnapshotId(row.id) },
          { header: 'created', value: (row) => tableTime(row.created) },
          { header: 'size', value: (row) => formatBytes(row.size), align: 'right' },
          { header: 'database', value: (row) => row.database },
          { header: 'engine', value: (row) => row.engine },
          { header: 'source', value: (row) => row.source },
        ]),
  );
  await context.saveConfigAfterSuccess();
}
