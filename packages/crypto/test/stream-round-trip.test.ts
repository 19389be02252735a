import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptBuffer, encryptBuffer, encryptedSize } from '../src/buffer-codec.js';
import { createDataKey } from '../src/data-key.js';
import { createDecryptStream } from '../src/decrypt-stream.js';
import { createEncryptStream } from '../src/encrypt-stream.js';
import { randomChunks, runTransform } from './stream-helpers.js';

const member = 'data/000003.copy.zst';
const sizes = [0, 1, 65535, 65536, 65537, 131072, 10_000_000];

describe('stream round trips', () => {
  for (const size of sizes) {
    it(`round-trips ${size} bytes fed in random chunks`, async () => {
      const key = createDataKey();
      const plain = randomBytes(size);
      const sealed = await runTransform(createEncryptStream(key, { member }), randomChunks(plain));
      expect(sealed.length).toBe(encryptedSize(size));
      const opened = await runTransform(createDecryptStream(key, { member }), randomChunks(sealed));
      expect(opened.equals(plain)).toBe(true);
    });

    it(`stream-encrypted ${size} bytes open with decryptBuffer, and encryptBuffer output opens as a stream`, async () => {
      const key = createDataKey();
      const plain = randomBytes(size);
      const streamed = await runTransform(createEncryptStream(key, { member }), randomChunks(plain));
      expect(decryptBuffer(key, streamed, member).equals(plain)).toBe(true);
      const sealed = encryptBuffer(key, plain, member);
      expect(sealed.length).toBe(encryptedSize(size));
      const opened = await runTransform(createDecryptStream(key, { member }), randomChunks(sealed));
      expect(opened.equals(plain)).toBe(true);
    });
  }

  it('handles one-byte writes across segment and prefix boundaries', async () => {
    const key = createDataKey();
    const plain = randomBytes(65536 + 40);
    const oneByte = (data: Buffer) => Array.from({ length: data.length }, (_, i) => data.subarray(i, i + 1));
    const sealed = await runTransform(createEncryptStream(key, { member }), oneByte(plain));
    const opened = await runTransform(createDecryptStream(key, { member }), oneByte(sealed));
    expect(opened.equals(plain)).toBe(true);
  });

  it('encrypts a single large write in full segments straight from the chunk', async () => {
    const key = createDataKey();
    const plain = randomBytes(5 * 65536 + 3);
    const sealed = await runTransform(createEncryptStream(key, { member }), [plain]);
    expect(decryptBuffer(key, sealed, member).equals(plain)).toBe(true);
    const opened = await runTransform(createDecryptStream(key, { member }), [sealed]);
    expect(opened.equals(plain)).toBe(true);
  });

  it('uses a fresh nonce prefix per member, so equal plaintexts encrypt differently', () => {
    const key = createDataKey();
    const plain = Buffer.from('same rows');
    expect(encryptBuffer(key, plain, member).equals(encryptBuffer(key, plain, member))).toBe(false);
  });
});

describe('encryptedSize', () => {
  it('counts the prefix, the plaintext and one tag per segment (at least one)', () => {
    expect(encryptedSize(0)).toBe(7 + 16);
    expect(encryptedSize(1)).toBe(7 + 1 + 16);
    expect(encryptedSize(65536)).toBe(7 + 65536 + 16);
    expect(encryptedSize(65537)).toBe(7 + 65537 + 32);
  });
});
