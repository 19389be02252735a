import type { Environment } from '../config/resolve-config.js';
import { canPrompt, readHiddenLine } from './read-hidden-line.js';

/** Where an encryption passphrase comes from when no key file is given (never from a flag). */
export const PASSPHRASE_ENV = 'DBBACKUP_ENCRYPTION_PASSPHRASE';

export class PassphraseMismatchError extends Error {
  constructor() {
    super('the two passphrases differ; run the command again and type the same passphrase twice');
    this.name = 'PassphraseMismatchError';
  }
}

/**
 * The passphrase from DBBACKUP_ENCRYPTION_PASSPHRASE, else typed at a terminal (asked twice when `confirm`, for a
 * new backup), else undefined: the caller names both ways in its error.
 */
export async function obtainPassphrase(env: Environment, options: { confirm: boolean }): Promise<string | undefined> {
  const fromEnv = env[PASSPHRASE_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!canPrompt()) return undefined;
  const passphrase = await readHiddenLine('encryption passphrase: ');
  if (options.confirm && (await readHiddenLine('repeat the passphrase: ')) !== passphrase) {
    throw new PassphraseMismatchError();
  }
  return passphrase;
}
