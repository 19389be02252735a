import { createWriteStream } from 'node:fs';
import { link, rename, stat, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type BackupSidecar, NotFoundError, readBackupSidecar, type StorageBackend } from '@dbbackup/cloud';
import { formatBytes, Sha256Stream } from '@dbbackup/pipeline';
import type { Command } from 'commander';
import { commandAction } from '../../cli/command-action.js';
import type { CommandContext } from '../../cli/command-context.js';
import { addExamples } from '../../cli/help-examples.js';
import { openCloudObject, splitObjectUri } from '../../cloud-io/cloud-object.js';
import { transferProgress } from '../../cloud-io/transfer-progress.js';
import { CliError } from '../../errors/cli-errors.js';
import { renderKeyValues } from '../../output/render-table.js';
import { requireCloudUri } from './cloud-storage.js';

/** The JSON document of `cloud download`. */
interface DownloadReport {
  uri: string;
  file: string;
  size: number;
  sha256: string;
  /** Whether the bytes were checked against the sidecar's size and sha256 (false: the object has no sidecar). */
  checked: boolean;
}

/** `dbbackup cloud download URI FILE`: copy one object to a local file, never overwriting one. */
export function registerCloudDownload(cloud: Command): void {
  const command = cloud
    .command('download')
    .description(
      'download a backup to a local file (FILE.partial, renamed when complete and matching the sidecar’s sha256); never overwrites a file',
    )
    .argument('<uri>', 'the backup’s full URI (dbbackup cloud list shows them)')
    .argument('<file>', 'the local file to create, or an existing directory (the object’s name is kept)');
  addExamples(command, [
    {
      description: 'into the current directory',
      command: 'dbbackup cloud download s3://backups/prod/shop-20261123T221500Z.dbb.tar .',
    },
    {
      description: 'at most 10 MB/s, to a chosen name',
      command:
        'dbbackup cloud download sftp://backup@nas.example.com/srv/backups/shop-20261123T221500Z.dbb.tar /tmp/shop.dbb.tar --bandwidth-limit 10MB/s',
    },
  ]);
  command.action(commandAction((context, uri: string, file: string) => downloadObject(context, uri, file)));
}

async function downloadObject(context: CommandContext, uriArgument: string, fileArgument: string): Promise<void> {
  const uri = requireCloudUri(uriArgument, 'object URI');
  const { name } = splitObjectUri(uri);
  const path = await targetPath(resolve(context.cwd, fileArgument), name);
  await refuseExisting(path);
  const object = await openCloudObject(context, uri);
  let report: DownloadReport;
  try {
    const info = await object.backend.stat(object.key);
    const sidecar = await sidecarOf(object.backend, object.key);
    if (sidecar === null) context.logger.warn(`${uri} has no sidecar (not a published backup); downloading it as is`);
    const copied = await copyToFile(context, object.backend, object.key, path, { name, size: info.size, sidecar });
    report = { uri, file: path, ...copied };
  } finally {
    await object.backend.close();
  }
  context.output.result(report, (document) =>
    renderKeyValues([
      ['downloaded', document.uri],
      ['to', document.file],
      ['size', formatBytes(document.size)],
      ['sha256', `${document.sha256}${document.checked ? ' (matches the sidecar)' : ' (no sidecar to check against)'}`],
    ]),
  );
  await context.saveConfigAfterSuccess();
}

/** FILE, or DIR/<name> when FILE is an existing directory. */
async function targetPath(path: string, name: string): Promise<string> {
  const info = await stat(path).catch(() => undefined);
  return info?.isDirectory() ? join(path, name) : path;
}

async function refuseExisting(path: string): Promise<void> {
  const exists = await stat(path).then(
    () => true,
    () => false,
  );
  if (exists) {
    throw new CliError(`${path} already exists; downloads never overwrite a file: choose another name or remove it`, 2);
  }
}

async function sidecarOf(backend: StorageBackend, key: string): Promise<BackupSidecar | null> {
  try {
    return await readBackupSidecar(backend, key);
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
}

/**
 * Streams the object into `<path>.partial` (created exclusively), checks size and sha256 against the sidecar, then
 * moves it to `path` without replacing a file that appeared meanwhile. Any failure removes the .partial.
 */
async function copyToFile(
  context: CommandContext,
  backend: StorageBackend,
  key: string,
  path: string,
  expected: { name: string; size: number; sidecar: BackupSidecar | null },
): Promise<Pick<DownloadReport, 'size' | 'sha256' | 'checked'>> {
  const partial = `${path}.partial`;
  const hash = new Sha256Stream();
  const progress = transferProgress(context, 'download', expected.name, expected.size);
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      progress.update(bytes);
      callback(null, chunk);
    },
  });
  let created = false;
  try {
    const file = createWriteStream(partial, { flags: 'wx', flush: true });
    file.once('open', () => {
      created = true;
    });
    await pipeline(await backend.get(key), counter, hash, file);
    const sha256 = hash.digest();
    const { sidecar } = expected;
    if (sidecar !== null && (sidecar.size !== bytes || sidecar.sha256 !== sha256)) {
      throw new CliError(
        `${key} does not match its sidecar (got ${bytes} bytes, sha256 ${sha256}; expected ${sidecar.size} bytes, sha256 ${sidecar.sha256}): the stored backup is damaged or was replaced; download it again or use another backup`,
        2,
      );
    }
    await moveWithoutReplacing(partial, path);
    return { size: bytes, sha256, checked: sidecar !== null };
  } catch (error) {
    if (created) await unlink(partial).catch(() => undefined);
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new CliError(
        `${(error as NodeJS.ErrnoException).path ?? partial} already exists; another download may be running, or remove the file`,
        2,
        { cause: error },
      );
    }
    throw error;
  } finally {
    progress.stop();
  }
}

/** A hard link fails when `path` exists (rename would replace it); filesystems without links fall back to rename. */
async function moveWithoutReplacing(partial: string, path: string): Promise<void> {
  try {
    await link(partial, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      throw new CliError(`${path} appeared during the download; downloads never overwrite a file: remove it`, 2);
    }
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw error;
    await rename(partial, path);
    return;
  }
  await unlink(partial);
}
