import {
  createDataKey,
  type EncryptionHeader,
  loadMasterKeyFile,
  type MasterKey,
  masterKeyFromPassphrase,
  wrapDataKey,
} from '@dbbackup/crypto';
import type { Environment } from '../config/resolve-config.js';
import type { ResolvedConfig } from '../config/settings.js';
import type { ConfigSources } from '../config/value-origin.js';
import { UsageError } from '../errors/cli-errors.js';
import type { Logger } from '../output/logger.js';
import { obtainPassphrase, PASSPHRASE_ENV } from './passphrase.js';

export interface BackupEncryption {
  /** Kept to reopen the new backup (--verify-restore); never printed. */
  masterKey: MasterKey;
  dataKey: Buffer;
  header: EncryptionHeader;
  /** 'key file /etc/dbbackup.key' or 'passphrase', for messages. */
  keySource: string;
  warnings: string[];
}

/** --encrypt was asked for but there is no key to encrypt with. Exit 2. */
export class EncryptionKeyRequiredError extends UsageError {
  constructor() {
    super(
      `--encrypt needs a key: pass --encryption-key-file FILE, or set ${PASSPHRASE_ENV} (or run on a terminal to type a passphrase)`,
    );
  }
}

/**
 * The master key and a fresh data key for a new backup, or undefined without --encrypt. The master key comes from
 * --encryption-key-file, else from a passphrase (DBBACKUP_ENCRYPTION_PASSPHRASE or a terminal prompt, asked twice).
 * Key file warnings (loose permissions) are logged and returned.
 */
export async function prepareBackupEncryption(
  config: ResolvedConfig,
  sources: ConfigSources,
  env: Environment,
  logger: Logger,
): Promise<BackupEncryption | undefined> {
  if (!config.encrypt) {
    if (config.encryptionKeyFile !== undefined && sources.encryptionKeyFile.kind === 'flag') {
      throw new UsageError('--encryption-key-file given without --encrypt: add --encrypt to encrypt this backup');
    }
    return undefined;
  }
  let masterKey: MasterKey;
  let keySource: string;
  const warnings: string[] = [];
  if (config.encryptionKeyFile !== undefined) {
    const loaded = await loadMasterKeyFile(config.encryptionKeyFile);
    masterKey = loaded.masterKey;
    keySource = `key file ${config.encryptionKeyFile}`;
    for (const warning of loaded.warnings) {
      logger.warn(warning);
      warnings.push(warning);
    }
  } else {
    const passphrase = await obtainPassphrase(env, { confirm: true });
    if (passphrase === undefined) throw new EncryptionKeyRequiredError();
    masterKey = await masterKeyFromPassphrase(passphrase);
    keySource = 'passphrase';
  }
  const dataKey = createDataKey();
  return { masterKey, dataKey, header: wrapDataKey(dataKey, masterKey), keySource, warnings };
}
