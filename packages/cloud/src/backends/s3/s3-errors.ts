import { AuthenticationError, NotFoundError, StorageError } from '../../errors.js';

/** What was being done when an S3 call failed, so the mapped error can say it. */
export interface S3ErrorContext {
  bucket: string;
  operation: string;
  key?: string;
}

const credentialsHint =
  'set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE) to keys allowed to use the bucket';
const authenticationNames = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'AccessDenied',
  'Forbidden',
  'ExpiredToken',
  'InvalidToken',
  'TokenRefreshRequired',
  'CredentialsProviderError',
]);
const throttlingNames = new Set([
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'RequestTimeout',
  'InternalError',
  'ServiceUnavailable',
  'TimeoutError',
]);
const networkCodes = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

/**
 * Turns whatever the SDK threw into the package's typed errors. Messages are built from the bucket, key and the
 * error's name only: the SDK's own messages and fields (StringToSign, AWSAccessKeyId) stay in `cause`.
 */
export function toStorageError(error: unknown, context: S3ErrorContext): Error {
  if (error instanceof StorageError || isAbortError(error)) return error as Error;
  const name = errorName(error);
  const status = httpStatus(error);
  const target = context.key === undefined ? `bucket ${context.bucket}` : `${context.key} in bucket ${context.bucket}`;
  const options = { cause: error };
  if (name === 'NoSuchBucket') {
    return new NotFoundError(
      's3',
      context.key ?? '',
      `s3: bucket ${context.bucket} does not exist; create it or fix the bucket name`,
      options,
    );
  }
  if (name === 'NoSuchUpload') {
    return new NotFoundError(
      's3',
      context.key ?? '',
      `s3: no incomplete upload of ${target} with that id; it was completed or aborted already`,
      options,
    );
  }
  if (name === 'NoSuchKey' || name === 'NotFound' || status === 404) {
    return new NotFoundError(
      's3',
      context.key ?? '',
      `s3: no object ${target}; check the key (list the prefix to see what exists)`,
      options,
    );
  }
  if (authenticationNames.has(name) || status === 401 || status === 403) {
    return new AuthenticationError(
      's3',
      `s3: ${context.operation} ${target} was refused (${name || `HTTP ${status}`}); ${credentialsHint}`,
      options,
    );
  }
  const retryable = isRetryable(error, name, status);
  return new StorageError(
    's3',
    retryable ? 'TRANSIENT' : 'REQUEST_FAILED',
    `s3: ${context.operation} ${target} failed (${describe(error, name, status)})` +
      (retryable ? '; the store or network is struggling, retrying may help' : '; check the endpoint and bucket'),
    { ...options, retryable },
  );
}

function isRetryable(error: unknown, name: string, status: number | undefined): boolean {
  if (throttlingNames.has(name) || networkCodes.has(errorCode(error))) return true;
  if (status !== undefined && (status >= 500 || status === 429)) return true;
  // Socket-level failures the SDK raises without a code ("socket hang up", aborted responses).
  if (status === undefined && /socket hang up|ECONNRESET|aborted|premature close/i.test(errorMessage(error))) {
    return true;
  }
  return isRecord(error) && isRecord(error.$retryable);
}

function describe(error: unknown, name: string, status: number | undefined): string {
  const code = errorCode(error);
  const parts = [name, code, status === undefined ? '' : `HTTP ${status}`].filter((part) => part !== '');
  const unique = [...new Set(parts)];
  return unique.length > 0 ? unique.join(', ') : errorMessage(error).split('\n')[0] || 'unknown error';
}

export function isAbortError(error: unknown): boolean {
  return isRecord(error) && (error.name === 'AbortError' || error.code === 'ABORT_ERR');
}

function errorName(error: unknown): string {
  if (!isRecord(error)) return '';
  const name = typeof error.name === 'string' ? error.name : '';
  // Errors without a modelled shape come back as plain 'Error' / 'UnknownError' with the S3 code in `Code`.
  if ((name === 'Error' || name === 'UnknownError') && typeof error.Code === 'string') return error.Code;
  return name === 'Error' ? '' : name;
}

function errorCode(error: unknown): string {
  return isRecord(error) && typeof error.code === 'string' ? error.code : '';
}

function errorMessage(error: unknown): string {
  return isRecord(error) && typeof error.message === 'string' ? error.message : String(error);
}

function httpStatus(error: unknown): number | undefined {
  if (!isRecord(error) || !isRecord(error.$metadata)) return undefined;
  const status = error.$metadata.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
