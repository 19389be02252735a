import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { openFileSource, type RandomAccessSource } from '@dbbackup/archive';
import { NotFoundError, openStorageSource } from '@dbbackup/cloud';
import type { CommandContext } from '../cli/command-context.js';
import { CliError } from '../errors/cli-errors.js';
import { openCloudObject, splitObjectUri } from './cloud-object.js';

/**
 * A backup named by a cloud URI as a source the archive reader can read ranges of. Stores that serve ranged reads
 * are read in place (parallel restores fetch each member's range); otherwise the archive is downloaded to --work-dir
 * (or the system temp dir) first and removed when the source closes. Closing the source closes the connection.
 */
export async function openCloudArchiveSource(context: CommandContext, uri: string): Promise<RandomAccessSource> {
  const object = await openCloudObject(context, uri);
  try {
    if (object.backend.capabilities.rangedReads) {
      const source = await openStorageSource(object.backend, object.key);
      return withClose(source, uri, () => object.backend.close());
    }
    const directory = resolve(context.cwd, context.config.workDir ?? tmpdir());
    await mkdir(directory, { recursive: true });
    const file = join(directory, `${splitObjectUri(uri).name}.download-${randomBytes(4).toString('hex')}`);
    context.logger.info(`${object.backend.kind} cannot read ranges: downloading ${uri} to ${file} first`);
    try {
      await pipeline(await object.backend.get(object.key), createWriteStream(file, { flags: 'wx' }));
    } catch (error) {
      await rm(file, { force: true });
      throw error;
    }
    await object.backend.close();
    const source = await openFileSource(file);
    return withClose(source, uri, () => rm(file, { force: true }));
  } catch (error) {
    await object.backend.close().catch(() => undefined);
    if (error instanceof NotFoundError) {
      throw new CliError(
        `backup ${uri} does not exist; list the backups there with dbbackup cloud list --cloud FOLDER`,
        2,
        {
          cause: error,
        },
      );
    }
    throw error;
  }
}

function withClose(source: RandomAccessSource, description: string, after: () => Promise<void>): RandomAccessSource {
  return {
    description,
    size: () => source.size(),
    read: (offset, length) => source.read(offset, length),
    createReadStream: (offset, length) => source.createReadStream(offset, length),
    close: async () => {
      try {
        await source.close();
      } finally {
        await after();
      }
    },
  };
}
