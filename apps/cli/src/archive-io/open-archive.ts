import { ArchiveReader } from '@dbbackup/archive';
import { WrongKeyError } from '@dbbackup/crypto';
import type { CommandContext } from '../cli/command-context.js';
import { openCloudArchiveSource } from '../cloud-io/cloud-archive-source.js';
import { isCloudLocation } from '../cloud-io/cloud-object.js';
import type { Environment } from '../config/resolve-config.js';
import { CliError } from '../errors/cli-errors.js';
import { archiveKeyProvider } from '../keys/archive-key-provider.js';
import type { Logger } from '../output/logger.js';

interface KeyAttempt {
  /** The key id the backup was encrypted with. */
  wanted: string;
  /** The key id of the key given. */
  given: string | undefined;
  passphrase: boolean;
}

/** The key given does not open the backup: says "wrong encryption key", which key was expected and which flag to use. */
export class WrongArchiveKeyError extends CliError {
  constructor(cause: WrongKeyError, attempt: KeyAttempt, keyFile: string | undefined) {
    const given = attempt.passphrase ? 'the passphrase given' : `the key file ${keyFile ?? ''}`;
    const problem =
      attempt.given !== undefined && attempt.given !== attempt.wanted
        ? `wrong encryption key: this backup was encrypted with key id ${attempt.wanted} but ${given} has key id ${attempt.given}`
        : cause.message;
    const fix = attempt.passphrase
      ? 'type the passphrase used for the backup (or set DBBACKUP_ENCRYPTION_PASSPHRASE), or pass --encryption-key-file FILE'
      : 'pass the key file used for the backup with --encryption-key-file FILE';
    super(`${problem}; ${fix}`, 2, { cause });
  }
}

/**
 * Opens a backup file for reading: header, key and manifest are checked here, before any database is contacted,
 * so a missing or wrong key or an incomplete backup fails without side effects.
 */
export async function openArchive(
  path: string,
  options: { keyFile: string | undefined; env: Environment; logger: Logger; context?: CommandContext },
): Promise<ArchiveReader> {
  const provider = archiveKeyProvider(options);
  let attempt: KeyAttempt | undefined;
  try {
    // A cloud URI is read in place with ranged reads (the reader closes the connection with itself).
    const source =
      options.context && isCloudLocation(path) ? await openCloudArchiveSource(options.context, path) : path;
    return await ArchiveReader.open(source, {
      closeSource: true,
      keyProvider: async (encryption) => {
        attempt = {
          wanted: encryption.keyId,
          given: undefined,
          passphrase: options.keyFile === undefined && encryption.kdf !== undefined,
        };
        const masterKey = await provider(encryption);
        attempt.given = masterKey.keyId;
        return masterKey;
      },
    });
  } catch (error) {
    if (error instanceof WrongKeyError && attempt) throw new WrongArchiveKeyError(error, attempt, options.keyFile);
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new CliError(`backup ${path} does not exist; check the path`, 2, { cause: error });
    }
    throw error;
  }
}
