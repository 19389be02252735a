import { AuthenticationError, NotFoundError, StorageError } from '../../errors.js';
import { RETRYABLE_NETWORK_CODES } from '../../wrappers/is-retryable-error.js';

interface ErrorFields {
  code?: unknown;
  status?: unknown;
  statusCode?: unknown;
  response?: { status?: unknown; statusCode?: unknown };
  errors?: unknown;
}

export interface GcsErrorContext {
  /** What was attempted, for the message: 'get', 'put', 'list'… */
  operation: string;
  bucket: string;
  /** The key (or prefix) involved. */
  key: string;
}

/**
 * Turns whatever the SDK threw (ApiError with a numeric `code`, a gaxios error with `status`, a resumable-upload
 * 'Upload failed' with `code` = HTTP status, a 'Retry limit exceeded' Error, a socket error) into a StorageError.
 */
export function mapGcsError(error: unknown, context: GcsErrorContext): StorageError {
  if (error instanceof StorageError) return error;
  const cause = error instanceof Error ? error : new Error(String(error));
  const status = httpStatusOf(cause);
  const where = `gs://${context.bucket}/${context.key}`;
  const detail = firstLine(cause.message);

  if (status === 404) {
    return new NotFoundError('gcs', context.key, `gcs: no object ${where} (or no bucket ${context.bucket})`, { cause });
  }
  if (status === 401 || status === 403) {
    return new AuthenticationError(
      'gcs',
      `gcs: ${context.operation} ${where} was refused (${status}); check the service-account key named by GOOGLE_APPLICATION_CREDENTIALS and its roles on bucket ${context.bucket}`,
      { cause },
    );
  }
  const networkCode = typeof (cause as ErrorFields).code === 'string' ? ((cause as ErrorFields).code as string) : '';
  const retryable =
    (status !== undefined && (status === 408 || status === 429 || status >= 500)) ||
    RETRYABLE_NETWORK_CODES.has(networkCode.toUpperCase()) ||
    /^Retry (total time )?limit exceeded/.test(cause.message) ||
    (cause as ErrorFields).code === 'FILE_NO_UPLOAD';
  const statusText = status !== undefined ? ` (HTTP ${status})` : networkCode ? ` (${networkCode})` : '';
  return new StorageError('gcs', 'IO', `gcs: ${context.operation} ${where} failed${statusText}: ${detail}`, {
    cause,
    retryable,
  });
}

function httpStatusOf(error: Error): number | undefined {
  const fields = error as ErrorFields;
  for (const candidate of [
    fields.code,
    fields.status,
    fields.statusCode,
    fields.response?.status,
    fields.response?.statusCode,
  ]) {
    if (typeof candidate === 'number' && candidate >= 100 && candidate <= 599) return candidate;
    if (typeof candidate === 'string' && /^\d{3}$/.test(candidate)) return Number(candidate);
  }
  return undefined;
}

function firstLine(message: string): string {
  const line = message.split('\n', 1)[0]?.trim() ?? '';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line || 'unknown error';
}
