import type { StorageBackend } from '../../storage-backend.js';
import { GcsBackend } from './gcs-backend.js';
import type { GcsBackendOptions } from './gcs-backend-options.js';

export type { GcsBackendOptions } from './gcs-backend-options.js';

/**
 * Google Cloud Storage, rooted at `options.bucket`. Credentials: the SDK's defaults (GOOGLE_APPLICATION_CREDENTIALS
 * or application-default credentials); STORAGE_EMULATOR_HOST or a loopback `apiEndpoint` means an emulator, no auth.
 */
export function createGcsBackend(options: GcsBackendOptions): StorageBackend {
  return new GcsBackend(options);
}
