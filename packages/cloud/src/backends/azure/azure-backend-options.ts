/** Settings of the Azure Blob backend. Secrets are not here: they come from the environment (see azure-client.ts). */
export interface AzureBackendOptions {
  /** The blob container every key lives in; it must exist. */
  container: string;
  /** Where credentials are read from; defaults to process.env (tests pass their own). */
  env?: NodeJS.ProcessEnv;
  /**
   * Blob service endpoint, e.g. Azurite's path-style http://127.0.0.1:10000/devstoreaccount1. Defaults to
   * AZURE_STORAGE_BLOB_ENDPOINT, then the connection string's BlobEndpoint, then https://<account>.blob.core.windows.net.
   */
  endpoint?: string;
  /** Bytes per staged block (the unit the SDK retries and buffers); default 8 MiB. */
  blockSize?: number;
  /** Blocks uploaded at once (memory use is about blockSize × concurrency); default 4. */
  concurrency?: number;
  /**
   * Attempts per HTTP request in the SDK's own retry policy (so one failed block upload is repeated, not the whole
   * object); default 4, 1 turns the SDK's retries off and leaves retrying to the retry wrapper.
   */
  maxTries?: number;
}

export const DEFAULT_AZURE_BLOCK_SIZE = 8 * 1024 * 1024;
export const DEFAULT_AZURE_CONCURRENCY = 4;
export const DEFAULT_AZURE_MAX_TRIES = 4;
