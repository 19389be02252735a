import { type OpenedStorage, openStorage } from '@dbbackup/cloud';
import type { CommandContext } from '../cli/command-context.js';
import { UsageError } from '../errors/cli-errors.js';
import { canPrompt, readHiddenLine } from '../keys/read-hidden-line.js';

/** Where the SFTP password comes from with --sftp-password (never a flag value: it would show in `ps`). */
export const SFTP_PASSWORD_ENV = 'DBBACKUP_SFTP_PASSWORD';

/**
 * Opens the storage a URI names with the CLI's settings: --cloud-endpoint, --sftp-key, --sftp-password (from
 * DBBACKUP_SFTP_PASSWORD or the prompt), --sftp-insecure, --bandwidth-limit (uploads and downloads), retries, and
 * storage calls in the --debug log. Credentials come from each SDK's own environment variables and files.
 */
export async function openCliStorage(context: CommandContext, uri: string): Promise<OpenedStorage> {
  const { config, logger } = context;
  const password = config.sftpPassword ? await sftpPassword(context) : undefined;
  return openStorage(uri, {
    ...(config.cloudEndpoint !== undefined ? { endpoint: config.cloudEndpoint } : {}),
    ...(config.sftpKey !== undefined ? { sftpKeyFile: config.sftpKey } : {}),
    ...(password !== undefined ? { sftpPassword: password } : {}),
    ...(config.sftpInsecure ? { sftpInsecure: true } : {}),
    ...(config.bandwidthLimit !== undefined ? { bandwidthLimit: config.bandwidthLimit } : {}),
    env: context.env as NodeJS.ProcessEnv,
    logger: { debug: (message: string) => logger.debug(message) },
  });
}

async function sftpPassword(context: CommandContext): Promise<string> {
  const fromEnv = context.env[SFTP_PASSWORD_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!canPrompt()) {
    throw new UsageError(
      `--sftp-password needs the password in ${SFTP_PASSWORD_ENV} or a terminal to type it at; or use --sftp-key FILE`,
    );
  }
  return readHiddenLine('sftp password: ');
}
