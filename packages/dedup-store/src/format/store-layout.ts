/**
 * Object names inside a store, restic's repository layout: everything below the store's prefix.
 *
 *   config                      store format, chunker parameters, compression, encryption on/off (plain JSON)
 *   keys/<id>                   the store's data key wrapped by one master key (JSON); id = sha256 of the file
 *   data/<xx>/<packId>          packs: blobs, then their header; packId = sha256 of the whole pack, xx its first 2 hex
 *   index/<id>                  which blobs each pack holds; id = sha256 of the stored file
 *   snapshots/<id>              one manifest per backup, written last; id = sha256 of the stored file
 *   locks/<lockId>              one per running process (JSON, never encrypted so any process can say who holds it)
 */
export const CONFIG_NAME = 'config';
export const KEYS_DIRECTORY = 'keys/';
export const DATA_DIRECTORY = 'data/';
export const INDEX_DIRECTORY = 'index/';
export const SNAPSHOTS_DIRECTORY = 'snapshots/';
export const LOCKS_DIRECTORY = 'locks/';

export function packName(packId: string): string {
  return `${DATA_DIRECTORY}${packId.slice(0, 2)}/${packId}`;
}

/** The last '/'-separated segment of a key: the id of a pack, index file, snapshot or lock. */
export function baseName(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}

/** Normalises a prefix from openStorage ('' or 'folder/'): no leading '/', one trailing '/' when not empty. */
export function normalisePrefix(prefix: string | undefined): string {
  const trimmed = (prefix ?? '').replace(/^\/+/, '').replace(/\/+$/, '');
  return trimmed === '' ? '' : `${trimmed}/`;
}
