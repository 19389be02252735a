import type { KeyProvider } from '@dbbackup/archive';
import { loadMasterKeyFile, MissingKeyError, masterKeyFromPassphrase } from '@dbbackup/crypto';
import type { Environment } from '../config/resolve-config.js';
import type { Logger } from '../output/logger.js';
import { obtainPassphrase, PASSPHRASE_ENV } from './passphrase.js';

/**
 * Supplies the master key of an encrypted archive: the --encryption-key-file when given, else, for a backup made
 * with a passphrase (its header has kdf parameters), DBBACKUP_ENCRYPTION_PASSPHRASE or a terminal prompt. Called
 * by ArchiveReader.open only when the archive is encrypted, before anything else is read or touched.
 */
export function archiveKeyProvider(options: {
  keyFile: string | undefined;
  env: Environment;
  logger: Logger;
}): KeyProvider {
  return async (encryption) => {
    if (options.keyFile !== undefined) {
      const { masterKey, warnings } = await loadMasterKeyFile(options.keyFile);
      for (const warning of warnings) options.logger.warn(warning);
      return masterKey;
    }
    if (!encryption.kdf) {
      throw new MissingKeyError(
        `this backup is encrypted with a key file (key id ${encryption.keyId}): pass --encryption-key-file FILE with that key`,
      );
    }
    const passphrase = await obtainPassphrase(options.env, { confirm: false });
    if (passphrase === undefined) {
      throw new MissingKeyError(
        `this backup is encrypted with a passphrase: set ${PASSPHRASE_ENV} or run on a terminal to type it (or pass --encryption-key-file FILE)`,
      );
    }
    return masterKeyFromPassphrase(passphrase, encryption.kdf);
  };
}
