import type { StorageBackend } from '@dbbackup/cloud';
import type { BlobCodec } from '../format/blob-codec.js';
import type { StoreConfig } from '../format/store-config.js';
import type { ResolvedLockOptions } from '../locks/lock-options.js';

/** Everything the operations need about an opened store. */
export interface StoreContext {
  backend: StorageBackend;
  /** '' or 'folder/': prepended to every object name. */
  prefix: string;
  /** For messages: the backend's description plus the prefix. */
  location: string;
  config: StoreConfig;
  codec: BlobCodec;
  gear: Int32Array;
  lockOptions: ResolvedLockOptions;
}
