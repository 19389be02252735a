import type { StoreStats } from '@dbbackup/dedup-store';
import { formatBytes } from '@dbbackup/pipeline';
import type { Command } from 'commander';
import { commandAction } from '../../cli/command-action.js';
import type { CommandContext } from '../../cli/command-context.js';
import { addExamples } from '../../cli/help-examples.js';
import { resolveDedupLocation } from '../../dedup-io/dedup-location.js';
import { withDedupStore } from '../../dedup-io/open-dedup-store.js';
import { counted } from '../../output/counted.js';
import { renderKeyValues } from '../../output/render-table.js';
import { addDedupDirOption, dedupStoreOptions } from './dedup-store-option.js';

/** The JSON document of `dedup stats`. */
interface DedupStatsReport {
  store: string;
  encrypted: boolean;
  snapshots: number;
  /** What restoring every snapshot would write. */
  logical_bytes: number;
  /** Every object of the store: packs, index files, manifests, config, keys, locks. */
  stored_bytes: number;
  /** logical / stored; null while nothing is stored. */
  ratio: number | null;
  chunks: number;
  unique_chunk_bytes: number;
  chunk_lists: number;
  packs: number;
  pack_bytes: number;
  index_files: number;
  index_bytes: number;
}

/** `dbbackup dedup stats`: what the store holds and how much deduplication and compression save. */
export function registerDedupStats(dedup: Command): void {
  const command = dedup
    .command('stats')
    .description(
      'how much the store holds: logical bytes (all snapshots restored), stored bytes, their ratio, chunks and packs',
    );
  addDedupDirOption(command);
  addExamples(command, [
    { description: 'a local store', command: 'dbbackup dedup stats --dedup-dir /srv/dedup' },
    { description: 'as JSON', command: 'dbbackup dedup stats --dedup-dir /srv/dedup --format json' },
  ]);
  command.action(commandAction((context) => dedupStats(context)));
}

async function dedupStats(context: CommandContext): Promise<void> {
  const options = context.options(dedupStoreOptions);
  const location = resolveDedupLocation(context, options.dedupDir, 'stats');
  const report = await withDedupStore(context, { location, create: false }, async (store) =>
    statsReport(store.location, store.encrypted, await store.stats()),
  );
  context.output.result(report, (document) =>
    renderKeyValues([
      ['store', `${document.store}${document.encrypted ? ' (encrypted)' : ''}`],
      ['snapshots', document.snapshots],
      ['logical', formatBytes(document.logical_bytes)],
      ['stored', formatBytes(document.stored_bytes)],
      ['ratio', document.ratio === null ? '-' : `${document.ratio.toFixed(2)} : 1`],
      [
        'chunks',
        `${counted(document.chunks, 'chunk')}, ${formatBytes(document.unique_chunk_bytes)} before compression`,
      ],
      ['packs', `${counted(document.packs, 'pack')}, ${formatBytes(document.pack_bytes)}`],
      ['index', `${counted(document.index_files, 'file')}, ${formatBytes(document.index_bytes)}`],
    ]),
  );
  await context.saveConfigAfterSuccess();
}

function statsReport(store: string, encrypted: boolean, stats: StoreStats): DedupStatsReport {
  return {
    store,
    encrypted,
    snapshots: stats.snapshots,
    logical_bytes: stats.logicalBytes,
    stored_bytes: stats.storedBytes,
    ratio: stats.ratio,
    chunks: stats.chunks,
    unique_chunk_bytes: stats.uniqueChunkBytes,
    chunk_lists: stats.chunkLists,
    packs: stats.packs,
    pack_bytes: stats.packBytes,
    index_files: stats.indexFiles,
    index_bytes: stats.indexBytes,
  };
}
