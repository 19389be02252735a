import { ArchiveReader, IncompleteBackupError, readArchiveHeader } from '@dbbackup/archive';
import { MissingKeyError } from '@dbbackup/crypto';
import { CliError } from '../../errors/cli-errors.js';

/** What an upload writes into the sidecar besides size and sha256 (publishBackup adds those). */
export interface SidecarFields {
  database?: string | null;
  engine?: string;
  createdAt?: string;
}

/**
 * The sidecar fields of a local file, read from the file itself without a key: an unencrypted dbbackup archive
 * gives database, engine and start time from its manifest; an encrypted one engine and time from its plain
 * header.json; any other file (a SQL script, another tool's dump) gives nothing, and is uploaded as it is.
 * An archive without its manifest never finished: uploading it would publish a backup that cannot be restored.
 */
export async function sidecarFieldsOfFile(path: string): Promise<SidecarFields> {
  let reader: ArchiveReader;
  try {
    reader = await ArchiveReader.open(path);
  } catch (error) {
    if (error instanceof IncompleteBackupError) {
      throw new CliError(
        `${path} is an incomplete backup (no manifest: the backup never finished) and is not uploaded; make a new backup`,
        2,
        { cause: error },
      );
    }
    if (error instanceof MissingKeyError) return headerFields(path);
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new CliError(`${path} does not exist; check the path`, 2, { cause: error });
    }
    return {};
  }
  try {
    const { manifest } = reader;
    return { database: manifest.database, engine: manifest.engine, createdAt: manifest.startedAt };
  } finally {
    await reader.close();
  }
}

async function headerFields(path: string): Promise<SidecarFields> {
  try {
    const header = await readArchiveHeader(path);
    return { engine: header.engine, createdAt: header.createdAt };
  } catch {
    return {};
  }
}
