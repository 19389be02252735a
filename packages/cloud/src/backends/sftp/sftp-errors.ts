import { NotFoundError, StorageError } from '../../errors.js';

/** SFTP status codes (draft-ietf-secsh-filexfer-02) that ssh2 puts in `error.code`. */
const SFTP_NO_SUCH_FILE = 2;
const SFTP_PERMISSION_DENIED = 3;
const SFTP_NO_CONNECTION = 6;
const SFTP_CONNECTION_LOST = 7;

/** Socket errors after which the same request on a new connection may succeed. */
const RETRYABLE_SOCKET_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ECONNABORTED']);

interface Ssh2Error extends Error {
  code?: number | string;
  level?: string;
}

/**
 * A StorageError for what ssh2 or the server reported while working on `key` (or `path` when it is not about one
 * object). Connection losses are retryable: the backend reconnects on its next call.
 */
export function toSftpStorageError(error: unknown, what: { key?: string; action: string; location: string }): Error {
  if (error instanceof StorageError) return error;
  if (!(error instanceof Error))
    return new StorageError('sftp', 'SFTP_ERROR', `sftp: ${what.action} failed: ${String(error)}`);
  if ((error as { name?: string }).name === 'AbortError') return error;
  const { code, level } = error as Ssh2Error;
  const subject = what.key === undefined ? what.location : `'${what.key}' in ${what.location}`;
  if (code === SFTP_NO_SUCH_FILE || code === 'ENOENT') {
    return new NotFoundError('sftp', what.key ?? '', `sftp: no object ${subject}`, { cause: error });
  }
  if (code === SFTP_PERMISSION_DENIED) {
    return new StorageError(
      'sftp',
      'PERMISSION_DENIED',
      `sftp: permission denied to ${what.action} ${subject}; check that the SFTP user may write under the root directory`,
      { cause: error },
    );
  }
  if (isConnectionLoss(error, code, level)) {
    return new StorageError(
      'sftp',
      'CONNECTION_LOST',
      `sftp: connection to ${what.location} lost during ${what.action} (${error.message}); the next call reconnects`,
      { cause: error, retryable: true },
    );
  }
  return new StorageError('sftp', 'SFTP_ERROR', `sftp: ${what.action} ${subject} failed: ${error.message}`, {
    cause: error,
  });
}

function isConnectionLoss(error: Error, code: number | string | undefined, level: string | undefined): boolean {
  if (code === SFTP_NO_CONNECTION || code === SFTP_CONNECTION_LOST) return true;
  if (typeof code === 'string' && RETRYABLE_SOCKET_CODES.has(code)) return true;
  if (level === 'client-timeout' || level === 'client-socket') return true;
  return /No response from server|Not connected|Channel not open|Connection lost/i.test(error.message);
}
