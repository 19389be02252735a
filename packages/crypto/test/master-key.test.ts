import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataKey } from '../src/data-key.js';
import { unwrapDataKey, wrapDataKey } from '../src/envelope.js';
import { EncryptionHeaderError, KeyFileError, PassphraseError, WrongKeyError } from '../src/errors.js';
import { loadMasterKeyFile } from '../src/key-file.js';
import { computeKeyId } from '../src/master-key.js';
import { masterKeyFromPassphrase } from '../src/passphrase.js';

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'dbbackup-crypto-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function keyFile(name: string, content: Buffer | string, mode = 0o600): Promise<string> {
  const path = join(directory, name);
  await writeFile(path, content);
  await chmod(path, mode);
  return path;
}

describe('loadMasterKeyFile', () => {
  it('loads 32 raw bytes and their base64 form (whitespace trimmed) to the same key', async () => {
    const key = randomBytes(32);
    const raw = await loadMasterKeyFile(await keyFile('raw.key', key));
    const text = await loadMasterKeyFile(await keyFile('b64.key', `  ${key.toString('base64')}\n`));
    const url = await loadMasterKeyFile(await keyFile('b64url.key', `${key.toString('base64url')}\n`));
    for (const loaded of [raw, text, url]) {
      expect(loaded.masterKey.key.equals(key)).toBe(true);
      expect(loaded.masterKey.keyId).toBe(computeKeyId(key));
      expect(loaded.masterKey.kdf).toBeUndefined();
      expect(loaded.warnings).toEqual([]);
    }
  });

  it('rejects a short file with KeyFileError naming the file and what it must hold', async () => {
    const path = await keyFile('short.key', randomBytes(17));
    const error = await loadMasterKeyFile(path).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KeyFileError);
    expect((error as KeyFileError).code).toBe('KEY_FILE');
    expect((error as Error).message).toBe(
      `encryption key file ${path} must hold 32 raw bytes or their base64 (found 17 bytes); create one with: head -c 32 /dev/urandom > key`,
    );
  });

  it('rejects base64 of the wrong length and a missing file', async () => {
    const wrongLength = await keyFile('b64-short.key', randomBytes(31).toString('base64'));
    await expect(loadMasterKeyFile(wrongLength)).rejects.toThrow(/found base64 of 31 bytes/);
    const missing = join(directory, 'missing.key');
    await expect(loadMasterKeyFile(missing)).rejects.toThrow(KeyFileError);
    await expect(loadMasterKeyFile(missing)).rejects.toThrow(missing);
  });

  it('warns when group or others can read the key file', async () => {
    const path = await keyFile('shared.key', randomBytes(32), 0o640);
    const { warnings } = await loadMasterKeyFile(path);
    expect(warnings).toEqual([`key file ${path} is readable by group/others; chmod 600 it`]);
  });
});

describe('masterKeyFromPassphrase', () => {
  it('re-derives the same key from the same passphrase and the stored kdf', async () => {
    const first = await masterKeyFromPassphrase('correct horse battery staple');
    expect(first.kdf).toMatchObject({ name: 'scrypt', N: 2 ** 15, r: 8, p: 1 });
    expect(Buffer.from(first.kdf!.salt, 'base64').length).toBe(16);
    const again = await masterKeyFromPassphrase('correct horse battery staple', first.kdf);
    expect(again.keyId).toBe(first.keyId);
    expect(again.key.equals(first.key)).toBe(true);
    // Without the stored kdf a new salt is drawn, so the key differs.
    const fresh = await masterKeyFromPassphrase('correct horse battery staple');
    expect(fresh.keyId).not.toBe(first.keyId);
  });

  it('stores the kdf in the header, and a different passphrase fails at unwrap with WrongKeyError', async () => {
    const master = await masterKeyFromPassphrase('s3cret passphrase');
    const dataKey = createDataKey();
    const header = wrapDataKey(dataKey, master);
    expect(header.kdf).toEqual(master.kdf);
    const reopened = await masterKeyFromPassphrase('s3cret passphrase', header.kdf);
    expect(unwrapDataKey(header, reopened).equals(dataKey)).toBe(true);
    const wrong = await masterKeyFromPassphrase('not the passphrase', header.kdf);
    expect(() => unwrapDataKey(header, wrong)).toThrow(WrongKeyError);
    expect(() => unwrapDataKey(header, wrong)).toThrow(/wrong encryption key.*pass the passphrase/);
  });

  it('rejects an empty passphrase and hostile scrypt parameters', async () => {
    await expect(masterKeyFromPassphrase('')).rejects.toThrow(PassphraseError);
    const salt = randomBytes(16).toString('base64');
    const hostile = [
      { name: 'scrypt' as const, salt, N: 2 ** 30, r: 8, p: 1 },
      { name: 'scrypt' as const, salt, N: 1000, r: 8, p: 1 },
      { name: 'scrypt' as const, salt: '', N: 2 ** 10, r: 8, p: 1 },
    ];
    for (const kdf of hostile) await expect(masterKeyFromPassphrase('x', kdf)).rejects.toThrow(EncryptionHeaderError);
  });
});
