import {
  deletePublishedBackup,
  NotFoundError,
  type ObjectInfo,
  type StorageBackend,
  sidecarKeyOf,
} from '@dbbackup/cloud';
import { formatBytes } from '@dbbackup/pipeline';
import type { Command } from 'commander';
import { z } from 'zod';
import { commandAction } from '../../cli/command-action.js';
import type { CommandContext } from '../../cli/command-context.js';
import { addExamples } from '../../cli/help-examples.js';
import { openCloudObject } from '../../cloud-io/cloud-object.js';
import { CliError, UsageError } from '../../errors/cli-errors.js';
import { renderKeyValues } from '../../output/render-table.js';
import { requireCloudUri } from './cloud-storage.js';

const deleteOptions = z.object({ confirm: z.boolean().optional() });

/** The JSON document of `cloud delete`. */
interface DeleteReport {
  uri: string;
  /** The objects removed, sidecar first. */
  deleted: string[];
  size: number | null;
}

/** `dbbackup cloud delete URI --confirm`: remove one backup (sidecar first, then the archive). */
export function registerCloudDelete(cloud: Command): void {
  const command = cloud
    .command('delete')
    .description(
      'delete a backup from cloud storage: its sidecar first (it stops being listed at once), then the archive',
    )
    .argument('<uri>', 'the backup’s full URI (dbbackup cloud list shows them)')
    .option('--confirm', 'required: without it, only says what would be deleted (exit 2)');
  addExamples(command, [
    {
      description: 'see what would be deleted',
      command: 'dbbackup cloud delete s3://backups/prod/shop-20261123T221500Z.dbb.tar',
    },
    {
      description: 'delete it',
      command: 'dbbackup cloud delete s3://backups/prod/shop-20261123T221500Z.dbb.tar --confirm',
    },
  ]);
  command.action(commandAction((context, uri: string) => deleteBackup(context, uri)));
}

async function deleteBackup(context: CommandContext, uriArgument: string): Promise<void> {
  const uri = requireCloudUri(uriArgument, 'backup URI');
  const { confirm } = context.options(deleteOptions);
  const object = await openCloudObject(context, uri);
  let report: DeleteReport;
  try {
    const archive = await statOrNull(object.backend, object.key);
    const sidecar = await statOrNull(object.backend, sidecarKeyOf(object.key));
    if (archive === null && sidecar === null) {
      throw new CliError(
        `there is no backup at ${uri}; dbbackup cloud list --cloud <folder> shows the backups there`,
        2,
      );
    }
    const objects = [sidecar, archive].filter((info) => info !== null).map((info) => info.key);
    if (confirm !== true) {
      const what = archive ? `${uri} (${formatBytes(archive.size)})` : uri;
      throw new UsageError(
        `would delete ${what} and ${sidecar ? 'its sidecar' : 'no sidecar (not published)'}: ${objects.join(', ')}; add --confirm to delete`,
      );
    }
    await deletePublishedBackup(object.backend, object.key);
    report = { uri, deleted: objects, size: archive?.size ?? null };
  } finally {
    await object.backend.close();
  }
  context.output.result(report, (document) =>
    renderKeyValues([
      ['deleted', document.uri],
      ['objects', document.deleted.join(', ')],
      ['size', document.size === null ? null : formatBytes(document.size)],
    ]),
  );
  await context.saveConfigAfterSuccess();
}

async function statOrNull(backend: StorageBackend, key: string): Promise<ObjectInfo | null> {
  try {
    return await backend.stat(key);
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
}
