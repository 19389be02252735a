import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { NotFoundError, type StorageBackend, sidecarKeyOf } from '@dbbackup/cloud';
import { formatBytes } from '@dbbackup/pipeline';
import type { Command } from 'commander';
import { commandAction } from '../../cli/command-action.js';
import type { CommandContext } from '../../cli/command-context.js';
import { addExamples } from '../../cli/help-examples.js';
import { splitObjectUri } from '../../cloud-io/cloud-object.js';
import { publishLocalFile } from '../../cloud-io/publish-local-file.js';
import { CliError } from '../../errors/cli-errors.js';
import { renderKeyValues } from '../../output/render-table.js';
import { folderUriOf, requireCloudUri, withCloudStorage } from './cloud-storage.js';
import { sidecarFieldsOfFile } from './local-backup-facts.js';

/** The JSON document of `cloud upload`. */
interface UploadReport {
  file: string;
  uri: string;
  size: number;
  sha256: string;
  database: string | null;
  engine: string | null;
  created_at: string;
}

/** `dbbackup cloud upload FILE URI`: publish a local backup file (archive first, sidecar last). */
export function registerCloudUpload(cloud: Command): void {
  const command = cloud
    .command('upload')
    .description(
      'upload a backup file and publish it crash-safely: the archive first, then its .manifest.json sidecar (database, engine, time, size, sha256)',
    )
    .argument('<file>', 'the local backup file (.dbb.tar, SQL script, or any file)')
    .argument('<uri>', "a folder ending in '/' (the file's name is kept) or the full object URI");
  addExamples(command, [
    {
      description: 'into a bucket folder, keeping the file name',
      command: 'dbbackup cloud upload ./backups/shop-20261123T221500Z.dbb.tar s3://backups/prod/',
    },
    {
      description: 'over SFTP with a key, at most 20 MB/s',
      command:
        'dbbackup cloud upload shop-20261123T221500Z.dbb.tar sftp://backup@nas.example.com/srv/backups/ --sftp-key ~/.ssh/id_ed25519 --bandwidth-limit 20MB/s',
    },
    {
      description: 'to MinIO, as JSON',
      command:
        'dbbackup cloud upload shop.dbb.tar s3://backups/shop.dbb.tar --cloud-endpoint http://minio:9000 --format json',
    },
  ]);
  command.action(commandAction((context, file: string, uri: string) => uploadFile(context, file, uri)));
}

async function uploadFile(context: CommandContext, fileArgument: string, uriArgument: string): Promise<void> {
  const uri = requireCloudUri(uriArgument, 'folder or object URI');
  const path = resolve(context.cwd, fileArgument);
  const size = await fileSize(path);
  const { folder, name } = uri.endsWith('/') ? { folder: uri, name: basename(path) } : splitObjectUri(uri);
  const fields = await sidecarFieldsOfFile(path);
  const report = await withCloudStorage(context, folder, async (opened) => {
    const key = `${opened.prefix}${name}`;
    const target = `${folderUriOf(opened)}${name}`;
    await refusePublished(opened.backend, key, target);
    const published = await publishLocalFile(context, opened.backend, { key, name }, { path, size, fields });
    return {
      file: path,
      uri: target,
      size: published.size,
      sha256: published.sha256,
      database: fields.database ?? null,
      engine: fields.engine ?? null,
      created_at: published.sidecar.createdAt,
    } satisfies UploadReport;
  });
  context.output.result(report, (document) =>
    renderKeyValues([
      ['uploaded', document.file],
      ['to', document.uri],
      ['size', formatBytes(document.size)],
      ['sha256', document.sha256],
      ['database', document.database],
      ['engine', document.engine],
      ['created', document.created_at],
    ]),
  );
  await context.saveConfigAfterSuccess();
}

async function fileSize(path: string): Promise<number> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new CliError(`${path} is not a file; give the backup file to upload`, 2);
    return info.size;
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${path} cannot be read (${(error as Error).message}); check the path`, 2, { cause: error });
  }
}

/**
 * Backups are never overwritten: a published one (its sidecar exists) must be deleted first. An archive without a
 * sidecar is what an interrupted upload left, and is replaced.
 */
async function refusePublished(backend: StorageBackend, key: string, uri: string): Promise<void> {
  try {
    await backend.stat(sidecarKeyOf(key));
  } catch (error) {
    if (error instanceof NotFoundError) return;
    throw error;
  }
  throw new CliError(
    `${uri} already exists; upload under another name, or delete it first with dbbackup cloud delete ${uri} --confirm`,
    2,
  );
}
