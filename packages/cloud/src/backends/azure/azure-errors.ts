import { isRestError } from '@azure/storage-blob';
import { AuthenticationError, NotFoundError, StorageError } from '../../errors.js';

/** Where credentials come from, named in every authentication message. */
export const AZURE_CREDENTIAL_SOURCES =
  'AZURE_STORAGE_CONNECTION_STRING, or AZURE_STORAGE_ACCOUNT and AZURE_STORAGE_KEY';

/** Failures of the connection itself: repeating the request may well succeed. */
const NETWORK_ERROR_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'REQUEST_SEND_ERROR',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

export interface AzureErrorSubject {
  container: string;
  /** The blob the request was about, if any. */
  key?: string;
}

/**
 * Turns what the SDK throws into our typed errors. Errors that are not the store's (the body stream failing, an
 * abort) are returned unchanged so the caller sees its own error.
 */
export function toStorageError(error: unknown, subject: AzureErrorSubject): unknown {
  if (error instanceof StorageError || isAbort(error)) return error;
  if (isRestError(error)) {
    const status = error.statusCode;
    const code = error.code ?? '';
    if (status === 404) return notFound(code, subject, error);
    if (status === 401 || status === 403) {
      return new AuthenticationError(
        'azure',
        `azure: the storage account refused the credentials (${code || `HTTP ${status}`}); check ${AZURE_CREDENTIAL_SOURCES}`,
        { cause: error },
      );
    }
    if (status !== undefined && (status >= 500 || status === 408 || status === 429)) {
      return new StorageError(
        'azure',
        'UNAVAILABLE',
        `azure: the blob service answered HTTP ${status}${code ? ` ${code}` : ''}; retry later`,
        { cause: error, retryable: true },
      );
    }
    if (status === undefined && NETWORK_ERROR_CODES.has(code)) return networkError(code, error);
    return new StorageError(
      'azure',
      code || 'AZURE_ERROR',
      `azure: request for ${describe(subject)} failed${status ? ` with HTTP ${status}` : ''}: ${firstLine(error.message)}`,
      { cause: error },
    );
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && NETWORK_ERROR_CODES.has(code)) return networkError(code, error);
  return error;
}

/**
 * An error on a download body. The SDK turns a connection reset mid-body into an AbortError (from the response's
 * 'aborted' event) although nobody aborted: we pass no abort signal to downloads, so it means the connection broke.
 */
export function toDownloadStreamError(error: unknown, subject: AzureErrorSubject): Error {
  if (isAbort(error)) {
    return new StorageError(
      'azure',
      'NETWORK',
      `azure: the connection broke while reading blob ${subject.key}; retry, reading the rest with a range`,
      { cause: error, retryable: true },
    );
  }
  const mapped = toStorageError(error, subject);
  return mapped instanceof Error ? mapped : new Error(String(mapped));
}

function notFound(code: string, subject: AzureErrorSubject, cause: Error): NotFoundError {
  if (code === 'ContainerNotFound' || subject.key === undefined) {
    return new NotFoundError(
      'azure',
      subject.key ?? subject.container,
      `azure: container ${subject.container} does not exist; create it (az storage container create --name ${subject.container}) or fix the container name`,
      { cause },
    );
  }
  return new NotFoundError('azure', subject.key, `azure: no blob ${subject.key} in container ${subject.container}`, {
    cause,
  });
}

function networkError(code: string, cause: unknown): StorageError {
  return new StorageError('azure', 'NETWORK', `azure: connection to the blob service failed (${code}); retry`, {
    cause,
    retryable: true,
  });
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

function describe(subject: AzureErrorSubject): string {
  return subject.key === undefined ? `container ${subject.container}` : `blob ${subject.key}`;
}

function firstLine(message: string): string {
  return message.split('\n', 1)[0] ?? '';
}
