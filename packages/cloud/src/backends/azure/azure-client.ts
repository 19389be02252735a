import {
  BlobServiceClient,
  type ContainerClient,
  type StoragePipelineOptions,
  StorageSharedKeyCredential,
} from '@azure/storage-blob';
import { AuthenticationError } from '../../errors.js';
import { AZURE_CREDENTIAL_SOURCES } from './azure-errors.js';

export interface AzureClientSettings {
  container: string;
  env: NodeJS.ProcessEnv;
  endpoint?: string;
  maxTries: number;
}

/**
 * The container client, with credentials from AZURE_STORAGE_CONNECTION_STRING or AZURE_STORAGE_ACCOUNT +
 * AZURE_STORAGE_KEY (Shared Key). The endpoint is the `endpoint` option, else AZURE_STORAGE_BLOB_ENDPOINT, else the
 * connection string's, else https://<account>.blob.core.windows.net.
 */
export function createAzureContainerClient(settings: AzureClientSettings): ContainerClient {
  const pipelineOptions: StoragePipelineOptions = {
    // The SDK retries each request (one staged block, one ranged download) on resets, 500 and 503, so a dropped
    // connection repeats one block instead of the whole object. Delays are shorter than its 4 s default because the
    // retry wrapper adds its own, longer backoff around whole operations.
    retryOptions: { maxTries: settings.maxTries, retryDelayInMs: 500, maxRetryDelayInMs: 8_000 },
  };
  const endpointOverride = settings.endpoint ?? nonEmpty(settings.env['AZURE_STORAGE_BLOB_ENDPOINT']);
  const connectionString = nonEmpty(settings.env['AZURE_STORAGE_CONNECTION_STRING']);
  const service = connectionString
    ? serviceFromConnectionString(connectionString, endpointOverride, pipelineOptions)
    : serviceFromAccountKey(settings.env, endpointOverride, pipelineOptions);
  return service.getContainerClient(settings.container);
}

function serviceFromConnectionString(
  connectionString: string,
  endpointOverride: string | undefined,
  pipelineOptions: StoragePipelineOptions,
): BlobServiceClient {
  let service: BlobServiceClient;
  try {
    service = BlobServiceClient.fromConnectionString(connectionString, pipelineOptions);
  } catch (error) {
    // The SDK's message names the missing part; the connection string itself (it holds the key) is never repeated.
    throw new AuthenticationError(
      'azure',
      `azure: AZURE_STORAGE_CONNECTION_STRING cannot be used (${error instanceof Error ? error.message : String(error)}); copy it again from the portal's "Access keys" page`,
    );
  }
  if (!endpointOverride) return service;
  if (!(service.credential instanceof StorageSharedKeyCredential)) {
    throw new AuthenticationError(
      'azure',
      'azure: a SAS connection string carries its own endpoint; drop the endpoint option / AZURE_STORAGE_BLOB_ENDPOINT or use an account-key connection string',
    );
  }
  return new BlobServiceClient(trimSlash(endpointOverride), service.credential, pipelineOptions);
}

function serviceFromAccountKey(
  env: NodeJS.ProcessEnv,
  endpointOverride: string | undefined,
  pipelineOptions: StoragePipelineOptions,
): BlobServiceClient {
  const account = nonEmpty(env['AZURE_STORAGE_ACCOUNT']);
  const key = nonEmpty(env['AZURE_STORAGE_KEY']);
  if (!account || !key) {
    throw new AuthenticationError('azure', `azure: no credentials found; set ${AZURE_CREDENTIAL_SOURCES}`);
  }
  const credential = new StorageSharedKeyCredential(account, key);
  const endpoint = endpointOverride ? trimSlash(endpointOverride) : `https://${account}.blob.core.windows.net`;
  return new BlobServiceClient(endpoint, credential, pipelineOptions);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value?.trim() ? value.trim() : undefined;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
