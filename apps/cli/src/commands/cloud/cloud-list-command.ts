import { formatBytes } from '@dbbackup/pipeline';
import type { Command } from 'commander';
import { commandAction } from '../../cli/command-action.js';
import type { CommandContext } from '../../cli/command-context.js';
import { addExamples } from '../../cli/help-examples.js';
import { renderTable } from '../../output/render-table.js';
import { requireCloudFolder, withCloudStorage } from './cloud-storage.js';
import { type PublishedBackupRow, readPublishedBackups } from './published-backups.js';

/** The JSON document of `cloud list`. */
interface CloudListReport {
  cloud: string;
  backups: PublishedBackupRow[];
}

/** `dbbackup cloud list --cloud URI`: the complete backups in a cloud folder, newest first. */
export function registerCloudList(cloud: Command): void {
  const command = cloud
    .command('list')
    .description(
      'the complete backups in the --cloud folder (those with a sidecar), newest first: name, size, created, database, engine',
    );
  addExamples(command, [
    { description: 'backups in an S3 folder', command: 'dbbackup cloud list --cloud s3://backups/prod/' },
    {
      description: 'on an SFTP server, as JSON with each backup’s full URI',
      command: 'dbbackup cloud list --cloud sftp://backup@nas.example.com/srv/backups/ --format json',
    },
  ]);
  command.action(commandAction((context) => listCloud(context)));
}

async function listCloud(context: CommandContext): Promise<void> {
  const uri = requireCloudFolder(context, 'list');
  const report = await withCloudStorage(context, uri, async (opened) => ({
    cloud: opened.uri,
    backups: await readPublishedBackups(opened),
  }));
  context.output.result(report satisfies CloudListReport, (document) =>
    document.backups.length === 0
      ? `no complete backups in ${document.cloud}; dbbackup cloud upload FILE ${document.cloud} or dbbackup cloud sync DIR --cloud ${document.cloud} adds some`
      : renderTable(document.backups, [
          { header: 'name', value: (row) => row.name },
          { header: 'size', value: (row) => formatBytes(row.size), align: 'right' },
          { header: 'created', value: (row) => row.created_at },
          { header: 'database', value: (row) => row.database },
          { header: 'engine', value: (row) => row.engine },
        ]),
  );
  await context.saveConfigAfterSuccess();
}
