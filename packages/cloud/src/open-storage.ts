import { InvalidStorageUriError } from './errors.js';
import type { StorageBackend } from './storage-backend.js';
import { formatStorageLocation } from './uri/format-storage-location.js';
import { parseStorageUri } from './uri/parse-storage-uri.js';
import type { StorageLocation } from './uri/storage-location.js';
import { type StorageLogger, withLogging } from './wrappers/with-logging.js';
import { type RetryOptions, withRetry } from './wrappers/with-retry.js';
import { withThrottle } from './wrappers/with-throttle.js';

export interface OpenStorageOptions {
  /** S3-compatible endpoint (MinIO, B2), Azure blob endpoint or GCS JSON-API endpoint; not for sftp:// or files. */
  endpoint?: string;
  /** sftp:// only: private key for public-key authentication. */
  sftpKeyFile?: string;
  /** sftp:// only: password authentication (take it from the environment or a prompt, never from argv). */
  sftpPassword?: string;
  /** sftp:// only: accept any host key (skips known_hosts verification). */
  sftpInsecure?: boolean;
  /** Where the SDKs read credentials from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Debug line per storage call (withLogging). */
  logger?: StorageLogger;
  /** Bytes per second for each upload and download (withThrottle); parse user input with parseRate. */
  bandwidthLimit?: number;
  /** Retry retryable failures with backoff (withRetry); default true. An object tunes it. */
  retry?: boolean | RetryOptions;
}

export interface OpenedStorage {
  /** The backend, wrapped with logging, throttling and retry as requested. Close it when done. */
  backend: StorageBackend;
  /** Folder inside the backend the URI points at ('' or ending in '/'): prepend it to keys. */
  prefix: string;
  /** The canonical URI, without credentials. */
  uri: string;
  location: StorageLocation;
}

function refuseOption(location: StorageLocation, option: string, appliesTo: string): never {
  throw new InvalidStorageUriError(
    `the ${option} option applies to ${appliesTo} only, not to ${formatStorageLocation(location)}: remove it or use a matching URI`,
  );
}

/** Creates the backend for a location; each backend's SDK is loaded only when its scheme is used. */
async function createBackend(location: StorageLocation, options: OpenStorageOptions): Promise<StorageBackend> {
  const { endpoint, env } = options;
  if (location.kind !== 'sftp' && (options.sftpKeyFile !== undefined || options.sftpInsecure)) {
    refuseOption(location, 'sftp key file / insecure', 'sftp:// URIs');
  }
  switch (location.kind) {
    case 's3': {
      const { createS3Backend } = await import('./backends/s3/index.js');
      return createS3Backend({ bucket: location.bucket, ...(endpoint && { endpoint }), ...(env && { env }) });
    }
    case 'azure': {
      const { createAzureBackend } = await import('./backends/azure/index.js');
      return createAzureBackend({ container: location.container, ...(endpoint && { endpoint }), ...(env && { env }) });
    }
    case 'gcs': {
      const { createGcsBackend } = await import('./backends/gcs/index.js');
      return createGcsBackend({
        bucket: location.bucket,
        ...(endpoint && { apiEndpoint: endpoint }),
        ...(env && { env }),
      });
    }
    case 'sftp': {
      if (endpoint) refuseOption(location, 'endpoint', 's3://, azure:// and gcs:// URIs');
      const { createSftpBackend } = await import('./backends/sftp/index.js');
      return createSftpBackend({
        host: location.host,
        port: location.port,
        user: location.user,
        root: location.path,
        ...(options.sftpKeyFile !== undefined && { keyFile: options.sftpKeyFile }),
        ...(options.sftpPassword !== undefined && { password: options.sftpPassword }),
        ...(options.sftpInsecure && { insecure: true }),
        ...(env && { env }),
      });
    }
    case 'local': {
      if (endpoint) refuseOption(location, 'endpoint', 's3://, azure:// and gcs:// URIs');
      const { createLocalBackend } = await import('./backends/local/index.js');
      return createLocalBackend({ root: location.path });
    }
  }
}

/**
 * Opens the storage a URI names (see parseStorageUri) with the wrappers the options ask for: logging innermost
 * (one line per attempt), then throttling, then retry outermost (each attempt is throttled and logged).
 * Throws InvalidStorageUriError for a bad URI or an option that does not apply to it.
 */
export async function openStorage(uri: string, options: OpenStorageOptions = {}): Promise<OpenedStorage> {
  const location = parseStorageUri(uri);
  const created = await createBackend(location, options);
  let backend = created;
  try {
    if (options.logger) backend = withLogging(backend, options.logger);
    if (options.bandwidthLimit !== undefined) backend = withThrottle(backend, options.bandwidthLimit);
    if (options.retry !== false) backend = withRetry(backend, options.retry === true ? {} : (options.retry ?? {}));
  } catch (error) {
    await created.close(); // e.g. an invalid bandwidth limit: do not leave an SFTP session open
    throw error;
  }
  return { backend, prefix: location.prefix, uri: formatStorageLocation(location), location };
}
