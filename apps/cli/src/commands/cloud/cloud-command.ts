import { addExamples } from '../../cli/help-examples.js';
import type { CommandModule } from '../command-module.js';
import { registerCloudCleanup } from './cloud-cleanup-command.js';
import { registerCloudDelete } from './cloud-delete-command.js';
import { registerCloudDownload } from './cloud-download-command.js';
import { registerCloudList } from './cloud-list-command.js';
import { registerCloudStatus } from './cloud-status-command.js';
import { registerCloudSync } from './cloud-sync-command.js';
import { registerCloudUpload } from './cloud-upload-command.js';

/**
 * `dbbackup cloud upload|download|list|delete|status|sync|cleanup-incomplete`: backups in S3, Azure Blob, GCS or
 * SFTP storage. A backup there is an archive plus its `.manifest.json` sidecar, written last (publishBackup), so
 * only complete uploads are listed.
 */
export const cloudCommand: CommandModule = {
  register(parent) {
    const cloud = parent
      .command('cloud')
      .description(
        'backups in cloud storage (s3://, azure://, gcs://, sftp://): upload, download, list, delete, check access, sync a directory, clean up interrupted uploads',
      );
    addExamples(cloud, [
      {
        description: 'upload a backup',
        command: 'dbbackup cloud upload ./backups/shop-20261123T221500Z.dbb.tar s3://backups/prod/',
      },
      { description: 'the backups there', command: 'dbbackup cloud list --cloud s3://backups/prod/' },
      {
        description: 'can we reach and write the storage?',
        command: 'dbbackup cloud status --cloud s3://backups/prod/',
      },
      { description: 'upload what is missing', command: 'dbbackup cloud sync /var/backups --cloud s3://backups/prod/' },
    ]);
    registerCloudUpload(cloud);
    registerCloudDownload(cloud);
    registerCloudList(cloud);
    registerCloudDelete(cloud);
    registerCloudStatus(cloud);
    registerCloudSync(cloud);
    registerCloudCleanup(cloud);
    return cloud;
  },
};
