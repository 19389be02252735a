import { createLocalBackend, type StorageBackend } from '@dbbackup/cloud';
import { MissingKeyError } from '@dbbackup/crypto';
import { type DedupStore, type OpenStoreOptions, openOrInitStore, openStore } from '@dbbackup/dedup-store';
import type { CommandContext } from '../cli/command-context.js';
import { openCliStorage } from '../cloud-io/open-cli-storage.js';
import { dedupErrorForCli } from './dedup-cli-errors.js';
import type { DedupLocation } from './dedup-location.js';
import { type DedupStoreKey, dedupStoreKey } from './dedup-store-key.js';

export interface DedupStoreRequest {
  location: DedupLocation;
  /** Create the store when there is none (the backup commands); every other command needs an existing one. */
  create: boolean;
}

/**
 * Opens the dedup store (creating it for a backup, which is announced on stderr), runs `work` (told whether the
 * store was just created), and always closes
 * the backend (SFTP sessions, HTTP agents). Errors from opening and from `work` come out in the CLI's wording.
 */
export async function withDedupStore<T>(
  context: CommandContext,
  request: DedupStoreRequest,
  work: (store: DedupStore, created: boolean) => Promise<T>,
): Promise<T> {
  const key = dedupStoreKey(context);
  const { backend, prefix } = await openBackend(context, request.location);
  try {
    const { store, created } = await openWithKey({ backend, prefix }, key, request.create);
    if (created) {
      context.logger.info(
        `dbbackup: created a new dedup store at ${store.location} (${store.encrypted ? `encrypted with the key in ${key.keyFile}` : 'not encrypted'})`,
      );
    }
    return await work(store, created);
  } catch (error) {
    throw dedupErrorForCli(error, request.location);
  } finally {
    await backend.close();
  }
}

async function openBackend(
  context: CommandContext,
  location: DedupLocation,
): Promise<{ backend: StorageBackend; prefix: string }> {
  if (location.kind === 'directory') return { backend: createLocalBackend({ root: location.path }), prefix: '' };
  const opened = await openCliStorage(context, location.uri);
  return { backend: opened.backend, prefix: opened.prefix };
}

/**
 * An explicit key (see DedupStoreKey) is always passed, so a store that is not encrypted is refused rather than
 * silently used without it. A key from the environment or .dbbackup.conf is only tried when the store asks for one.
 */
async function openWithKey(
  base: OpenStoreOptions,
  key: DedupStoreKey,
  create: boolean,
): Promise<{ store: DedupStore; created: boolean }> {
  const open = async (options: OpenStoreOptions) =>
    create ? openOrInitStore(options) : { store: await openStore(options), created: false };
  if (key.explicit) return open({ ...base, masterKey: await key.load() });
  try {
    return await open(base);
  } catch (error) {
    if (!(error instanceof MissingKeyError) || key.keyFile === undefined) throw error;
    return { store: await openStore({ ...base, masterKey: await key.load() }), created: false };
  }
}
