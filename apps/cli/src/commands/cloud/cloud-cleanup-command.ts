import { parseDuration } from '@dbbackup/catalog';
import { type IncompleteUpload, listUnpublishedObjects, type OpenedStorage } from '@dbbackup/cloud';
import { formatBytes } from '@dbbackup/pipeline';
import type { Command } from 'commander';
import { z } from 'zod';
import { commandAction } from '../../cli/command-action.js';
import type { CommandContext } from '../../cli/command-context.js';
import { addExamples } from '../../cli/help-examples.js';
import { UsageError } from '../../errors/cli-errors.js';
import { renderTable } from '../../output/render-table.js';
import { requireCloudFolder, withCloudStorage } from './cloud-storage.js';

const cleanupOptions = z.object({ confirm: z.boolean().optional(), minAge: z.string().optional() });

const DEFAULT_MIN_AGE = '15m';

/** One leftover: an archive without sidecar, a sidecar without archive, or an incomplete multipart upload. */
interface Leftover {
  kind: 'archive-without-sidecar' | 'sidecar-without-archive' | 'incomplete-upload';
  key: string;
  size: number | null;
  /** Last modified (objects) or started (uploads); null when the store does not say. */
  at: string | null;
  /** removed (with --confirm), would-remove (without), kept (younger than --min-age: maybe an upload in progress). */
  action: 'removed' | 'would-remove' | 'kept';
}

/** The JSON document of `cloud cleanup-incomplete`. */
interface CleanupReport {
  cloud: string;
  confirmed: boolean;
  min_age_ms: number;
  /** Whether the store has multipart uploads that can be listed and aborted (S3). */
  incomplete_uploads_supported: boolean;
  leftovers: Leftover[];
}

/** `dbbackup cloud cleanup-incomplete --cloud URI [--confirm]`: remove what interrupted uploads left behind. */
export function registerCloudCleanup(cloud: Command): void {
  const command = cloud
    .command('cleanup-incomplete')
    .description(
      'find what interrupted uploads left in the --cloud folder (archives without sidecar, sidecars without archive, incomplete multipart uploads) and, with --confirm, remove it',
    )
    .option('--confirm', 'remove them (without it, only lists what would be removed)')
    .option(
      '--min-age <duration>',
      `leave alone what is younger than this, since it may be an upload still running (e.g. 2h, 0 for everything; default ${DEFAULT_MIN_AGE})`,
    );
  addExamples(command, [
    { description: 'what would be removed', command: 'dbbackup cloud cleanup-incomplete --cloud s3://backups/prod/' },
    {
      description: 'remove leftovers older than a day',
      command: 'dbbackup cloud cleanup-incomplete --cloud s3://backups/prod/ --min-age 1d --confirm',
    },
  ]);
  command.action(commandAction((context) => cleanupIncomplete(context)));
}

async function cleanupIncomplete(context: CommandContext): Promise<void> {
  const uri = requireCloudFolder(context, 'cleanup-incomplete');
  const options = context.options(cleanupOptions);
  const minAgeMs = parseMinAge(options.minAge ?? DEFAULT_MIN_AGE);
  const confirmed = options.confirm === true;
  const cutoff = Date.now() - minAgeMs;
  const report = await withCloudStorage(context, uri, async (opened) => {
    const found = await findLeftovers(opened);
    const leftovers: Leftover[] = [];
    for (const { leftover, remove } of found) {
      const old = leftover.at === null || Date.parse(leftover.at) <= cutoff;
      if (!old) leftovers.push({ ...leftover, action: 'kept' });
      else if (!confirmed) leftovers.push({ ...leftover, action: 'would-remove' });
      else {
        await remove();
        leftovers.push({ ...leftover, action: 'removed' });
      }
    }
    return {
      cloud: opened.uri,
      confirmed,
      min_age_ms: minAgeMs,
      incomplete_uploads_supported: opened.backend.capabilities.incompleteUploads,
      leftovers,
    } satisfies CleanupReport;
  });
  context.output.result(report, renderCleanupReport);
  if (confirmed) await context.saveConfigAfterSuccess();
}

function parseMinAge(text: string): number {
  if (text.trim() === '0') return 0;
  try {
    return parseDuration(text);
  } catch (error) {
    throw new UsageError(`invalid --min-age ${text}: give a duration such as 30m, 2h or 1d, or 0 for everything`, {
      cause: error,
    });
  }
}

async function findLeftovers(
  opened: OpenedStorage,
): Promise<Array<{ leftover: Omit<Leftover, 'action'>; remove: () => Promise<void> }>> {
  const { backend, prefix } = opened;
  const found: Array<{ leftover: Omit<Leftover, 'action'>; remove: () => Promise<void> }> = [];
  for (const object of await listUnpublishedObjects(backend, prefix)) {
    found.push({
      leftover: {
        kind: object.key.endsWith('.manifest.json') ? 'sidecar-without-archive' : 'archive-without-sidecar',
        key: object.key,
        size: object.size,
        at: object.modifiedAt.toISOString(),
      },
      remove: () => backend.delete(object.key),
    });
  }
  if (backend.capabilities.incompleteUploads && backend.listIncompleteUploads && backend.abortIncompleteUpload) {
    const uploads: IncompleteUpload[] = [];
    for await (const upload of backend.listIncompleteUploads(prefix)) uploads.push(upload);
    for (const upload of uploads) {
      found.push({
        leftover: {
          kind: 'incomplete-upload',
          key: upload.key,
          size: null,
          at: upload.startedAt?.toISOString() ?? null,
        },
        remove: () => backend.abortIncompleteUpload!(upload),
      });
    }
  }
  return found;
}

function renderCleanupReport(report: CleanupReport): string {
  const uploadsNote = report.incomplete_uploads_supported
    ? ''
    : ' (this store has no incomplete multipart uploads to abort)';
  if (report.leftovers.length === 0)
    return `nothing left behind by interrupted uploads in ${report.cloud}${uploadsNote}`;
  const table = renderTable(report.leftovers, [
    { header: 'action', value: (row) => row.action },
    { header: 'kind', value: (row) => row.kind },
    { header: 'key', value: (row) => row.key },
    { header: 'size', value: (row) => (row.size === null ? null : formatBytes(row.size)), align: 'right' },
    { header: 'modified', value: (row) => row.at },
  ]);
  const waiting = report.leftovers.some((row) => row.action === 'would-remove') ? '\nadd --confirm to remove them' : '';
  return `${table}${waiting}${uploadsNote}`;
}
