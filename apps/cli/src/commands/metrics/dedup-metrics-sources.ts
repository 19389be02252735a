import { resolve } from 'node:path';
import type { DedupMetricsSource } from '@dbbackup/metrics';
import type { Command } from 'commander';
import type { CommandContext } from '../../cli/command-context.js';
import { isCloudLocation } from '../../cloud-io/cloud-object.js';
import type { DedupLocation } from '../../dedup-io/dedup-location.js';
import { withDedupStore } from '../../dedup-io/open-dedup-store.js';

/** --dedup-dir, repeatable, on `metrics export` and `metrics serve`. */
export function addDedupStoresOption(command: Command): Command {
  return command.option(
    '--dedup-dir <location>',
    'also report this dedup store (a directory or a cloud URI; repeat for several): dbbackup_dedup_* metrics',
    (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
  );
}

/**
 * The dedup stores to report on, each opened for every collection (a scrape sees new snapshots) with the same key
 * settings as the dedup commands (--encryption-key-file or DBBACKUP_ENCRYPTION_KEY_FILE for encrypted stores).
 */
export function dedupMetricsSources(
  context: CommandContext,
  locations: readonly string[] | undefined,
): DedupMetricsSource[] {
  return (locations ?? []).map((value) => {
    const location: DedupLocation = isCloudLocation(value)
      ? { kind: 'cloud', uri: value }
      : { kind: 'directory', path: resolve(context.cwd, value) };
    return {
      location: location.kind === 'cloud' ? location.uri : location.path,
      listSnapshots: () => withDedupStore(context, { location, create: false }, (store) => store.listSnapshots()),
    };
  });
}
