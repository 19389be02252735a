import type { StorageBackend } from '@dbbackup/cloud';
import {
  createDataKey,
  type EncryptionHeader,
  type MasterKey,
  unwrapDataKey,
  WrongKeyError,
  wrapDataKey,
} from '@dbbackup/crypto';
import { DamagedObjectError } from '../errors.js';
import { sha256Hex } from '../format/object-ids.js';
import { KEYS_DIRECTORY } from '../format/store-layout.js';
import { listObjects, putBuffers, readObject } from './object-io.js';

/**
 * keys/<sha256 of the document>: the store's data key wrapped by one master key. More than one master key may open a
 * store (one document each); content-addressed names never collide, even when two processes create a store at once.
 */
interface KeyDocument {
  storeId: string;
  created: string;
  header: EncryptionHeader;
}

/** A new data key for a new store, wrapped by `masterKey` and written to keys/. */
export async function createStoreKey(
  backend: StorageBackend,
  prefix: string,
  storeId: string,
  masterKey: MasterKey,
): Promise<Buffer> {
  const dataKey = createDataKey();
  const document: KeyDocument = { storeId, created: new Date().toISOString(), header: wrapDataKey(dataKey, masterKey) };
  const bytes = Buffer.from(JSON.stringify(document, null, 2));
  await putBuffers(backend, `${prefix}${KEYS_DIRECTORY}${sha256Hex(bytes)}`, [bytes]);
  return dataKey;
}

/**
 * Unwraps the store's data key with `masterKey`. WrongKeyError (from @dbbackup/crypto) when no key object of this
 * store was made with that master key, or it does not authenticate.
 */
export async function openStoreKey(
  backend: StorageBackend,
  prefix: string,
  storeId: string,
  location: string,
  masterKey: MasterKey,
): Promise<Buffer> {
  const knownIds: string[] = [];
  for (const info of await listObjects(backend, `${prefix}${KEYS_DIRECTORY}`)) {
    let document: KeyDocument;
    try {
      document = JSON.parse((await readObject(backend, info.key)).toString('utf8')) as KeyDocument;
    } catch (error) {
      throw new DamagedObjectError(info.key, 'it is not a key document (JSON)', { cause: error });
    }
    if (document.storeId !== storeId || typeof document.header?.keyId !== 'string') continue;
    knownIds.push(document.header.keyId);
    if (document.header.keyId === masterKey.keyId) return unwrapDataKey(document.header, masterKey);
  }
  throw new WrongKeyError(
    `wrong encryption key: the dedup store at ${location} is encrypted with key id ${knownIds.join(', ') || '(none found)'} but the key given has id ${masterKey.keyId}; pass the key file used when the store was created`,
  );
}
