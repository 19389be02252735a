import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createDataKey } from '../src/data-key.js';
import { unwrapDataKey, wrapDataKey } from '../src/envelope.js';
import { EncryptionHeaderError, WrongKeyError } from '../src/errors.js';
import { computeKeyId, type MasterKey } from '../src/master-key.js';

function masterKey(): MasterKey {
  const key = randomBytes(32);
  return { keyId: computeKeyId(key), key };
}

describe('envelope keys', () => {
  it('wraps and unwraps a data key, describing the format in the header', () => {
    const master = masterKey();
    const dataKey = createDataKey();
    expect(dataKey.length).toBe(32);
    const header = wrapDataKey(dataKey, master);
    expect(header).toMatchObject({ version: 1, algorithm: 'AES-256-GCM', segmentSize: 65536, keyId: master.keyId });
    expect(header.kdf).toBeUndefined();
    expect(Buffer.from(header.wrappedKey, 'base64').length).toBe(12 + 32 + 16);
    expect(JSON.stringify(header)).not.toContain(dataKey.toString('base64'));
    expect(unwrapDataKey(header, master).equals(dataKey)).toBe(true);
    // A fresh random nonce each time: wrapping twice gives different ciphertext.
    expect(wrapDataKey(dataKey, master).wrappedKey).not.toBe(header.wrappedKey);
  });

  it('computes key ids as the first 16 hex chars of a domain-separated sha256', () => {
    const key = Buffer.alloc(32, 7);
    expect(computeKeyId(key)).toMatch(/^[0-9a-f]{16}$/);
    expect(computeKeyId(key)).toBe(computeKeyId(Buffer.alloc(32, 7)));
    expect(computeKeyId(key)).not.toBe(computeKeyId(Buffer.alloc(32, 8)));
  });

  it('rejects another master key with WrongKeyError naming both key ids, not the keys', () => {
    const right = masterKey();
    const wrong = masterKey();
    const header = wrapDataKey(createDataKey(), right);
    let caught: unknown;
    try {
      unwrapDataKey(header, wrong);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(WrongKeyError);
    const error = caught as WrongKeyError;
    expect(error.code).toBe('WRONG_KEY');
    expect(error.message).toContain('wrong encryption key');
    expect(error.message).toContain(right.keyId);
    expect(error.message).toContain(wrong.keyId);
    for (const key of [right.key, wrong.key]) {
      expect(error.message).not.toContain(key.toString('hex'));
      expect(error.message).not.toContain(key.toString('base64'));
    }
  });

  it('rejects a key claiming the right key id that does not authenticate the wrapped key', () => {
    const right = masterKey();
    const header = wrapDataKey(createDataKey(), right);
    const impostor = { keyId: right.keyId, key: randomBytes(32) };
    expect(() => unwrapDataKey(header, impostor)).toThrow(WrongKeyError);
    const wrapped = Buffer.from(header.wrappedKey, 'base64');
    wrapped[20]! ^= 1;
    expect(() => unwrapDataKey({ ...header, wrappedKey: wrapped.toString('base64') }, right)).toThrow(WrongKeyError);
  });

  it('rejects malformed or unsupported headers with EncryptionHeaderError', () => {
    const master = masterKey();
    const header = wrapDataKey(createDataKey(), master);
    const bad = [
      { ...header, version: 2 as 1 },
      { ...header, algorithm: 'ChaCha20' as 'AES-256-GCM' },
      { ...header, segmentSize: 1024 },
      { ...header, wrappedKey: 'AAAA' },
    ];
    for (const candidate of bad) expect(() => unwrapDataKey(candidate, master)).toThrow(EncryptionHeaderError);
  });
});
