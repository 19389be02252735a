import type { StorageBackend } from '../../storage-backend.js';
import { SftpBackend } from './sftp-backend.js';
import type { SftpBackendOptions } from './sftp-backend-options.js';
import { openSftpSession } from './sftp-connection.js';
import { describeSftpLocation } from './sftp-paths.js';

export { HostKeyVerificationError } from './host-key-check.js';
export type { SftpBackendOptions } from './sftp-backend-options.js';

/**
 * An SFTP backend rooted at `options.root`. Connects (and verifies the host key) before returning, so bad
 * credentials or an unknown host fail here; after a dropped connection the next call reconnects.
 */
export async function createSftpBackend(options: SftpBackendOptions): Promise<StorageBackend> {
  const description = describeSftpLocation(options.user, options.host, options.port ?? 22, options.root);
  const backend = new SftpBackend(options.root, description, () => openSftpSession(options));
  await backend.connect();
  return backend;
}
