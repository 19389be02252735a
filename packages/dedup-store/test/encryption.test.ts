import { createHash, createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { MissingKeyError, unwrapDataKey, WrongKeyError } from '@dbbackup/crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { chunkStream } from '../src/chunker/chunk-stream.js';
import { createGearTable, PLAIN_GEAR_SEED } from '../src/chunker/gear-table.js';
import { EncryptionMismatchError } from '../src/errors.js';
import { BlobCodec } from '../src/format/blob-codec.js';
import { decodeIndexFile } from '../src/format/index-file.js';
import { openStore } from '../src/store/open-store.js';
import { deriveStoreSecrets } from '../src/store/store-secrets.js';
import {
  collector,
  createTestStore,
  listFiles,
  randomMasterKey,
  removeDirectory,
  streamOf,
  type TestStore,
} from './helpers.js';
import { initialTable, renderDump } from './synthetic-dump.js';

const stores: TestStore[] = [];
afterAll(async () => {
  for (const { directory } of stores) await removeDirectory(directory);
});

describe('encrypted store', () => {
  const masterKey = randomMasterKey();
  const dump = renderDump(initialTable(15_000));

  it('restores exactly, keeps ids and content unreadable, and dedups under the key', async () => {
    const test = await createTestStore('encrypted', { masterKey });
    stores.push(test);
    expect(test.store.encrypted).toBe(true);
    const first = await test.store.backup(streamOf(dump), { source: 'orders.sql', database: 'secretdb' });
    const second = await test.store.backup(streamOf(dump), { source: 'orders.sql', database: 'secretdb' });
    expect(second.newChunks).toBe(0);

    const { sink, bytes } = collector();
    await (await openStore({ backend: test.backend, masterKey })).restore(first.snapshot.id, sink);
    expect(bytes().equals(dump)).toBe(true);

    // Nothing stored holds plaintext: not a row, not the database name.
    const files = await listFiles(test.directory);
    for (const file of files.filter((name) => !name.startsWith('config') && !name.startsWith('locks'))) {
      const content = await readFile(path.join(test.directory, file));
      expect(content.includes('INSERT INTO')).toBe(false);
      expect(content.includes('secretdb')).toBe(false);
    }

    // Chunk ids are HMACs under a key derived from the data key: none is the SHA-256 of a plain chunk, and each is
    // the HMAC of a chunk cut with the store's secret gear table.
    const config = JSON.parse(await readFile(path.join(test.directory, 'config'), 'utf8')) as { id: string };
    const keyFile = files.find((name) => name.startsWith('keys'))!;
    const keyDocument = JSON.parse(await readFile(path.join(test.directory, keyFile), 'utf8'));
    const { secrets, gearSeed } = deriveStoreSecrets(unwrapDataKey(keyDocument.header, masterKey), config.id);
    const codec = new BlobCodec(secrets, 3);
    const storedIds = new Set<string>();
    for (const file of files.filter((name) => name.startsWith('index'))) {
      const packs = decodeIndexFile(codec, await readFile(path.join(test.directory, file)), file);
      for (const blob of packs.flatMap((pack) => pack.blobs))
        if (blob.type === 'data') storedIds.add(blob.id.toString('hex'));
    }
    const plainIds = new Set<string>();
    const hmacIds = new Set<string>();
    for await (const chunk of chunkStream(
      streamOf(dump),
      test.store.config.chunker,
      createGearTable(PLAIN_GEAR_SEED),
    )) {
      plainIds.add(createHash('sha256').update(chunk).digest('hex'));
    }
    for await (const chunk of chunkStream(streamOf(dump), test.store.config.chunker, createGearTable(gearSeed))) {
      hmacIds.add(createHmac('sha256', secrets.idKey).update(chunk).digest('hex'));
    }
    expect([...storedIds].filter((id) => plainIds.has(id))).toEqual([]);
    expect(storedIds).toEqual(hmacIds);

    const verify = await test.store.verify({ readData: true });
    expect(verify.errors).toEqual([]);
  });

  it('fails cleanly with a wrong key, without a key, and with a key for an unencrypted store', async () => {
    const test = await createTestStore('wrong-key', { masterKey });
    stores.push(test);
    await test.store.backup(streamOf(Buffer.from('payload')), { source: 'x' });

    const wrong = await openStore({ backend: test.backend, masterKey: randomMasterKey() }).catch(
      (error: unknown) => error,
    );
    expect(wrong).toBeInstanceOf(WrongKeyError);
    expect((wrong as Error).message).toMatch(
      /^wrong encryption key: the dedup store at .* is encrypted with key id [0-9a-f]+ but the key given has id/,
    );
    // Same key id but different key bytes: the wrapped key does not authenticate.
    const forged = { key: randomMasterKey().key, keyId: masterKey.keyId };
    await expect(openStore({ backend: test.backend, masterKey: forged })).rejects.toBeInstanceOf(WrongKeyError);
    await expect(openStore({ backend: test.backend })).rejects.toBeInstanceOf(MissingKeyError);

    const plain = await createTestStore('plain-with-key');
    stores.push(plain);
    await expect(openStore({ backend: plain.backend, masterKey })).rejects.toBeInstanceOf(EncryptionMismatchError);
  });
});
