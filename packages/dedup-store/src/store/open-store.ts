import { randomBytes } from 'node:crypto';
import { NotFoundError, type StorageBackend } from '@dbbackup/cloud';
import { type MasterKey, MissingKeyError } from '@dbbackup/crypto';
import {
  type ChunkerParameters,
  DEFAULT_CHUNKER_PARAMETERS,
  validateChunkerParameters,
} from '../chunker/chunker-parameters.js';
import { createGearTable, PLAIN_GEAR_SEED } from '../chunker/gear-table.js';
import {
  EncryptionMismatchError,
  InvalidStoreOptionError,
  StoreAlreadyInitialisedError,
  StoreNotInitialisedError,
} from '../errors.js';
import { BlobCodec } from '../format/blob-codec.js';
import {
  DEFAULT_COMPRESSION_LEVEL,
  DEFAULT_PACK_SIZE,
  decodeStoreConfig,
  encodeStoreConfig,
  STORE_FORMAT,
  type StoreConfig,
} from '../format/store-config.js';
import { CONFIG_NAME, normalisePrefix } from '../format/store-layout.js';
import { type LockOptions, resolveLockOptions } from '../locks/lock-options.js';
import { DedupStore } from './dedup-store.js';
import { putBuffers, readObject } from './object-io.js';
import type { StoreContext } from './store-context.js';
import { createStoreKey, openStoreKey } from './store-keys.js';
import { deriveStoreSecrets } from './store-secrets.js';

export interface OpenStoreOptions {
  /** Where the store lives: createLocalBackend({ root: dir }) for --dedup-dir, openStorage(uri).backend for --cloud. */
  backend: StorageBackend;
  /** Folder inside the backend ('' or 'folder/'), e.g. openStorage(uri).prefix. */
  prefix?: string;
  /** Required for an encrypted store (loadMasterKeyFile); refused for an unencrypted one. */
  masterKey?: MasterKey;
  lock?: LockOptions;
}

export interface InitStoreOptions extends OpenStoreOptions {
  /** FastCDC sizes; missing fields take DEFAULT_CHUNKER_PARAMETERS. Fixed for the store's life. */
  chunker?: Partial<ChunkerParameters>;
  /** zstd level 1..19 (default 3). */
  compressionLevel?: number;
  /** Pack size in bytes, 1 MiB..1 GiB (default 16 MiB). */
  packSize?: number;
}

function locationOf(backend: StorageBackend, prefix: string): string {
  return prefix === '' ? backend.description : `${backend.description.replace(/\/$/, '')}/${prefix}`;
}

function newConfig(options: InitStoreOptions): StoreConfig {
  const chunker = validateChunkerParameters({ ...DEFAULT_CHUNKER_PARAMETERS, ...options.chunker });
  const level = options.compressionLevel ?? DEFAULT_COMPRESSION_LEVEL;
  if (!Number.isInteger(level) || level < 1 || level > 19) {
    throw new InvalidStoreOptionError(`compression level ${level} must be an integer from 1 to 19 (default 3)`);
  }
  const packSize = options.packSize ?? DEFAULT_PACK_SIZE;
  if (!Number.isInteger(packSize) || packSize < 1024 * 1024 || packSize > 1024 * 1024 * 1024) {
    throw new InvalidStoreOptionError(`pack size ${packSize} must be from 1 MiB to 1 GiB (default 16 MiB)`);
  }
  return {
    format: STORE_FORMAT,
    version: 1,
    id: randomBytes(16).toString('hex'),
    created: new Date().toISOString(),
    chunker: { algorithm: 'fastcdc-gear32', ...chunker },
    compression: { algorithm: 'zstd', level },
    packSize,
    encryption: options.masterKey ? 'AES-256-GCM' : 'none',
  };
}

async function readConfig(backend: StorageBackend, prefix: string, location: string): Promise<StoreConfig | undefined> {
  try {
    return decodeStoreConfig(await readObject(backend, `${prefix}${CONFIG_NAME}`), location);
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

/**
 * Opens an existing store. StoreNotInitialisedError when there is none; MissingKeyError / WrongKeyError (from
 * @dbbackup/crypto) for an encrypted store opened without its key; EncryptionMismatchError for a key given to an
 * unencrypted store.
 */
export async function openStore(options: OpenStoreOptions): Promise<DedupStore> {
  const prefix = normalisePrefix(options.prefix);
  const location = locationOf(options.backend, prefix);
  const config = await readConfig(options.backend, prefix, location);
  if (!config) throw new StoreNotInitialisedError(location);
  const context: StoreContext = {
    backend: options.backend,
    prefix,
    location,
    config,
    codec: new BlobCodec(null, config.compression.level),
    gear: createGearTable(PLAIN_GEAR_SEED),
    lockOptions: resolveLockOptions(options.lock),
  };
  if (config.encryption === 'none') {
    if (options.masterKey) throw new EncryptionMismatchError(location);
    return new DedupStore(context);
  }
  if (!options.masterKey) {
    throw new MissingKeyError(
      `the dedup store at ${location} is encrypted: pass --encryption-key-file FILE with the key it was created with`,
    );
  }
  const dataKey = await openStoreKey(options.backend, prefix, config.id, location, options.masterKey);
  const { secrets, gearSeed } = deriveStoreSecrets(dataKey, config.id);
  dataKey.fill(0);
  return new DedupStore({
    ...context,
    codec: new BlobCodec(secrets, config.compression.level),
    gear: createGearTable(gearSeed),
  });
}

/**
 * Creates a store (encrypted when a master key is given) and opens it. StoreAlreadyInitialisedError when one exists.
 * The key object is written before the config: a store is there once its config is.
 */
export async function initStore(options: InitStoreOptions): Promise<DedupStore> {
  const prefix = normalisePrefix(options.prefix);
  const location = locationOf(options.backend, prefix);
  if (await readConfig(options.backend, prefix, location)) throw new StoreAlreadyInitialisedError(location);
  const config = newConfig(options);
  if (options.masterKey) {
    const dataKey = await createStoreKey(options.backend, prefix, config.id, options.masterKey);
    dataKey.fill(0);
  }
  await putBuffers(options.backend, `${prefix}${CONFIG_NAME}`, [encodeStoreConfig(config)]);
  return openStore(options);
}

/** Opens the store, creating it first when there is none (what a CLI backup into a new directory wants). */
export async function openOrInitStore(options: InitStoreOptions): Promise<{ store: DedupStore; created: boolean }> {
  const prefix = normalisePrefix(options.prefix);
  if (await readConfig(options.backend, prefix, locationOf(options.backend, prefix))) {
    return { store: await openStore(options), created: false };
  }
  try {
    return { store: await initStore(options), created: true };
  } catch (error) {
    // Another process created it between our check and our write: use theirs.
    if (error instanceof StoreAlreadyInitialisedError) return { store: await openStore(options), created: false };
    throw error;
  }
}
