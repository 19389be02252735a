import { randomBytes, scrypt } from 'node:crypto';
import { KEY_SIZE } from './constants.js';
import { EncryptionHeaderError, PassphraseError } from './errors.js';
import { computeKeyId, type MasterKey, type ScryptParameters } from './master-key.js';

/** Defaults for new backups: about 32 MiB and ~100 ms per derivation, which only happens once per run. */
export const DEFAULT_SCRYPT_PARAMETERS = { N: 2 ** 15, r: 8, p: 1 } as const;
const SALT_SIZE = 16;
// Upper bounds for parameters read from a header, so a crafted archive cannot make us allocate gigabytes.
const MAX_N = 2 ** 22;
const MAX_MEMORY = 1024 * 1024 * 1024;

/**
 * Derives a master key from a passphrase with scrypt. Without `kdf`, a new random salt and the default cost are used;
 * with the `kdf` stored in a backup's header, the same passphrase gives the same key (and key id) again.
 * The passphrase is NFC-normalised so the same characters typed on different systems give the same key.
 */
export async function masterKeyFromPassphrase(passphrase: string, kdf?: ScryptParameters): Promise<MasterKey> {
  if (typeof passphrase !== 'string' || passphrase.length === 0) {
    throw new PassphraseError('the encryption passphrase is empty; pass a non-empty passphrase');
  }
  const parameters: ScryptParameters = kdf ?? {
    name: 'scrypt',
    salt: randomBytes(SALT_SIZE).toString('base64'),
    ...DEFAULT_SCRYPT_PARAMETERS,
  };
  const salt = validateScryptParameters(parameters);
  const key = await deriveKey(passphrase.normalize('NFC'), salt, parameters);
  return { keyId: computeKeyId(key), key, kdf: { ...parameters } };
}

function deriveKey(passphrase: string, salt: Buffer, { N, r, p }: ScryptParameters): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; node's default maxmem (32 MiB) is exactly that for the defaults, so leave headroom.
  const maxmem = 128 * N * r * 2;
  return new Promise((resolve, reject) => {
    scrypt(passphrase, salt, KEY_SIZE, { N, r, p, maxmem }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

function validateScryptParameters(parameters: ScryptParameters): Buffer {
  const { name, salt, N, r, p } = parameters;
  const saltBytes = typeof salt === 'string' ? Buffer.from(salt, 'base64') : Buffer.alloc(0);
  const problems: string[] = [];
  if (name !== 'scrypt') problems.push(`unknown kdf ${JSON.stringify(name)}`);
  if (saltBytes.length < 8) problems.push('salt shorter than 8 bytes');
  if (!Number.isInteger(N) || N < 2 || N > MAX_N || (N & (N - 1)) !== 0)
    problems.push(`N=${N} is not a power of 2 up to 2^22`);
  if (!Number.isInteger(r) || r < 1 || r > 64) problems.push(`r=${r} is not an integer 1..64`);
  if (!Number.isInteger(p) || p < 1 || p > 16) problems.push(`p=${p} is not an integer 1..16`);
  if (problems.length === 0 && 128 * N * r > MAX_MEMORY) problems.push('N·r needs more than 1 GiB of memory');
  if (problems.length > 0) {
    throw new EncryptionHeaderError(
      `invalid scrypt parameters in the encryption header (${problems.join('; ')}); the archive header is damaged or from a newer version`,
    );
  }
  return saltBytes;
}
