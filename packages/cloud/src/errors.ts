import type { BackendKind } from './storage-backend.js';

/**
 * Base of every storage error: names the backend and a stable code, with a one-line message saying what went wrong
 * and how to fix it. Never carries credentials.
 */
export class StorageError extends Error {
  readonly backend: BackendKind;
  readonly code: string;
  /** Whether repeating the same request may succeed (connection reset, 5xx, throttling). The retry wrapper reads it. */
  readonly retryable: boolean;
  constructor(backend: BackendKind, code: string, message: string, options?: ErrorOptions & { retryable?: boolean }) {
    super(message, options);
    this.name = new.target.name;
    this.backend = backend;
    this.code = code;
    this.retryable = options?.retryable ?? false;
  }
}

/** NOT_FOUND: the key (or bucket/container/directory) does not exist. */
export class NotFoundError extends StorageError {
  readonly key: string;
  constructor(backend: BackendKind, key: string, message?: string, options?: ErrorOptions) {
    super(backend, 'NOT_FOUND', message ?? `${backend}: no object ${key}`, options);
    this.key = key;
  }
}

/** AUTHENTICATION: the store refused the credentials; the message names the backend and where credentials come from. */
export class AuthenticationError extends StorageError {
  constructor(backend: BackendKind, message: string, options?: ErrorOptions) {
    super(backend, 'AUTHENTICATION', message, options);
  }
}

/** INVALID_URI: a storage URI that cannot be used, with an example of the accepted form. */
export class InvalidStorageUriError extends Error {
  readonly code = 'INVALID_URI';
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
