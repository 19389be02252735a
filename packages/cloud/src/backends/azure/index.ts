/** The Azure Blob backend (@azure/storage-blob). */
import type { StorageBackend } from '../../storage-backend.js';
import { AzureBackend } from './azure-backend.js';
import type { AzureBackendOptions } from './azure-backend-options.js';

export type { AzureBackendOptions } from './azure-backend-options.js';

/**
 * A backend on one blob container. Credentials come from `env` (default process.env):
 * AZURE_STORAGE_CONNECTION_STRING, or AZURE_STORAGE_ACCOUNT + AZURE_STORAGE_KEY.
 *
 * @example
 * const backend = createAzureBackend({ container: 'backups' });
 * await backend.put('prod/shop.dbb.tar', createReadStream('shop.dbb.tar'));
 */
export function createAzureBackend(options: AzureBackendOptions): StorageBackend {
  return new AzureBackend(options);
}
