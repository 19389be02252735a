import { loadMasterKeyFile, type MasterKey } from '@dbbackup/crypto';
import type { CommandContext } from '../cli/command-context.js';
import { UsageError } from '../errors/cli-errors.js';

/**
 * The master key a dedup command may use. `explicit` means the user asked for encryption on this command line
 * (--encrypt, or --encryption-key-file as a flag): the store must then be encrypted, and a new one is created
 * encrypted. A key file only from DBBACKUP_ENCRYPTION_KEY_FILE or .dbbackup.conf (remembered after an encrypted
 * archive backup, say) is used when the store turns out to be encrypted, and otherwise left alone.
 */
export interface DedupStoreKey {
  readonly keyFile: string | undefined;
  readonly explicit: boolean;
  /** Reads the key file (once); its warnings, such as loose permissions, go to the log. */
  load(): Promise<MasterKey>;
}

/**
 * The key settings of this run. --encrypt without a key file is refused: a dedup store opens with a key file only
 * (a passphrase-derived key cannot be recreated when the store is opened again).
 */
export function dedupStoreKey(context: CommandContext): DedupStoreKey {
  const { config, sources, logger } = context;
  const keyFile = config.encryptionKeyFile;
  if (config.encrypt && keyFile === undefined) {
    throw new UsageError(
      '--encrypt needs --encryption-key-file FILE for a dedup store (32 random bytes, e.g. head -c 32 /dev/urandom > dedup.key; chmod 600 it): dedup stores do not take passphrases',
    );
  }
  let loaded: Promise<MasterKey> | undefined;
  return {
    keyFile,
    explicit: config.encrypt || (keyFile !== undefined && sources.encryptionKeyFile.kind === 'flag'),
    load() {
      if (keyFile === undefined) throw new Error('dedupStoreKey.load() called without a key file');
      loaded ??= loadMasterKeyFile(keyFile).then(({ masterKey, warnings }) => {
        for (const warning of warnings) logger.warn(warning);
        return masterKey;
      });
      return loaded;
    },
  };
}
