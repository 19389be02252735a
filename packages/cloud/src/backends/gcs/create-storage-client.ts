import { IdempotencyStrategy, Storage, type StorageOptions } from '@google-cloud/storage';
import type { GcsBackendOptions } from './gcs-backend-options.js';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export interface GcsClient {
  storage: Storage;
  /** True for an emulator: no credentials are looked up, so neither a key file nor the metadata server is read. */
  emulated: boolean;
}

/**
 * Builds the SDK client from `env` (not only process.env) so tests and callers can hand over their own settings.
 * The SDK reads STORAGE_EMULATOR_HOST from process.env by itself; resolving it here and pinning `baseUrl` keeps
 * JSON-API and upload URLs on the same endpoint whichever form (with or without /storage/v1) the variable takes.
 */
export function createStorageClient(options: GcsBackendOptions): GcsClient {
  const env = options.env ?? process.env;
  const emulatorHost = env.STORAGE_EMULATOR_HOST?.trim() || undefined;
  const endpoint = options.apiEndpoint
    ? sanitizeEndpoint(options.apiEndpoint)
    : emulatorHost
      ? sanitizeEndpoint(emulatorHost).replace(/\/storage\/v1$/, '')
      : undefined;
  const emulated = emulatorHost !== undefined || (endpoint !== undefined && isLoopback(endpoint));
  const credentialsFile = env.GOOGLE_APPLICATION_CREDENTIALS?.trim() || undefined;

  const storageOptions: StorageOptions = {
    // Backups are written whole under one name and read back unchanged, so repeating an upload chunk or a delete
    // is safe: retry them even without generation preconditions (the SDK's default only retries conditional ones).
    retryOptions: { autoRetry: true, maxRetries: 3, idempotencyStrategy: IdempotencyStrategy.RetryAlways },
    // A custom endpoint is unauthenticated by default in the SDK; only an emulator should be.
    useAuthWithCustomEndpoint: !emulated,
  };
  if (endpoint !== undefined) storageOptions.apiEndpoint = endpoint;
  if (options.projectId !== undefined) storageOptions.projectId = options.projectId;
  if (!emulated && credentialsFile !== undefined) storageOptions.keyFilename = credentialsFile;

  const storage = new Storage(storageOptions);
  if (endpoint !== undefined) storage.baseUrl = `${endpoint}/storage/v1`;
  return { storage, emulated };
}

function sanitizeEndpoint(url: string): string {
  const withProtocol = /^https?:\/\//i.test(url) ? url : `https://${url}`;
  return withProtocol.replace(/\/+$/, '');
}

function isLoopback(endpoint: string): boolean {
  return LOOPBACK_HOSTS.has(new URL(endpoint).hostname);
}
