import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAzureBackend } from '../src/backends/azure/index.js';
import type { StorageBackend } from '../src/storage-backend.js';
import {
  patternBuffer,
  patternSha256,
  patternStream,
  readAll,
  runConformanceSuite,
  streamDigest,
} from '../src/testing/index.js';
import { AZURITE_ACCOUNT, AZURITE_KEY, type AzuriteServer, startAzurite } from './servers/azurite.js';
import { type DropProxy, startDropProxy } from './servers/drop-proxy.js';

const MiB = 1024 * 1024;

/** One Azurite for the whole file, started by the first setup that needs it and stopped at the end. */
let azurite: Promise<AzuriteServer> | undefined;
function sharedAzurite(): Promise<AzuriteServer> {
  azurite ??= startAzurite();
  return azurite;
}
afterAll(async () => {
  if (azurite) await (await azurite).stop();
});

async function createContainer(server: AzuriteServer): Promise<ContainerClient> {
  const container = BlobServiceClient.fromConnectionString(server.connectionString).getContainerClient(
    `dbbackup-${randomBytes(4).toString('hex')}`,
  );
  await container.create();
  return container;
}

function keyEnv(): NodeJS.ProcessEnv {
  return { AZURE_STORAGE_ACCOUNT: AZURITE_ACCOUNT, AZURE_STORAGE_KEY: AZURITE_KEY };
}

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

runConformanceSuite('azure (Azurite, through a connection-dropping proxy)', async () => {
  const server = await sharedAzurite();
  const container = await createContainer(server);
  const proxy = await startDropProxy(server.port);
  return {
    // 4 MiB blocks: the suite's 16 MiB object is committed from 5 blocks.
    backend: createAzureBackend({
      container: container.containerName,
      env: keyEnv(),
      endpoint: `http://127.0.0.1:${proxy.port}/${AZURITE_ACCOUNT}`,
      blockSize: 4 * MiB,
    }),
    prefix: 'suite/',
    cleanup: async () => {
      await proxy.close();
      await container.delete();
    },
    dropConnections: () => proxy.dropConnections(),
    wrongCredentials: async () =>
      createAzureBackend({
        container: container.containerName,
        env: { AZURE_STORAGE_ACCOUNT: AZURITE_ACCOUNT, AZURE_STORAGE_KEY: randomBytes(64).toString('base64') },
        endpoint: server.endpoint,
      }),
  };
});

describe('azure backend on Azurite', () => {
  let server: AzuriteServer;
  let container: ContainerClient;
  let proxy: DropProxy;
  let backend: StorageBackend;

  beforeAll(async () => {
    server = await sharedAzurite();
    container = await createContainer(server);
    proxy = await startDropProxy(server.port);
    backend = createAzureBackend({ container: container.containerName, env: keyEnv(), endpoint: server.endpoint });
  });

  afterAll(async () => {
    await proxy?.close();
    await container?.delete();
  });

  function throughProxy(options: { maxTries?: number } = {}): StorageBackend {
    return createAzureBackend({
      container: container.containerName,
      env: keyEnv(),
      endpoint: `http://127.0.0.1:${proxy.port}/${AZURITE_ACCOUNT}`,
      blockSize: 4 * MiB,
      ...options,
    });
  }

  it('commits a 17 MiB stream from a generator as more than 3 staged blocks of 4 MiB', async () => {
    const size = 17 * MiB + 77;
    const key = 'blocks/seventeen.bin';
    const blocky = createAzureBackend({
      container: container.containerName,
      env: keyEnv(),
      endpoint: server.endpoint,
      blockSize: 4 * MiB,
      concurrency: 3,
    });
    const result = await blocky.put(key, patternStream(21, size));
    expect(result.size).toBe(size);
    const blocks = await container.getBlockBlobClient(key).getBlockList('committed');
    expect(blocks.committedBlocks?.length).toBe(5);
    expect(await streamDigest(await blocky.get(key))).toEqual({ sha256: patternSha256(21, size), size });
    const middle = await readAll(await blocky.get(key, { offset: 9 * MiB - 3, length: 4 * MiB + 6 }));
    expect(middle.equals(patternBuffer(21, 4 * MiB + 6, 9 * MiB - 3))).toBe(true);
  });

  it('reads empty ranges: zero length, and a range starting at or past the end', async () => {
    const key = 'ranges/hundred.bin';
    await backend.put(key, patternStream(22, 100));
    expect((await readAll(await backend.get(key, { offset: 10, length: 0 }))).length).toBe(0);
    expect((await readAll(await backend.get(key, { offset: 100, length: 10 }))).length).toBe(0);
    expect((await readAll(await backend.get(key, { offset: 5000, length: 10 }))).length).toBe(0);
    await backend.put('ranges/empty.bin', Readable.from([], { objectMode: false }));
    expect((await readAll(await backend.get('ranges/empty.bin', { offset: 0, length: 10 }))).length).toBe(0);
    expect(await errorOf(backend.get('ranges/missing.bin', { offset: 0, length: 0 }))).toMatchObject({
      name: 'NotFoundError',
    });
  });

  it('keeps the content type', async () => {
    await backend.put('typed.json', Readable.from([Buffer.from('{}')]), { contentType: 'application/json' });
    const properties = await container.getBlobClient('typed.json').getProperties();
    expect(properties.contentType).toBe('application/json');
  });

  it('names the blob and the container in NotFoundError', async () => {
    const missingBlob = await errorOf(backend.stat('nowhere/missing.bin'));
    expect(missingBlob).toMatchObject({ name: 'NotFoundError', key: 'nowhere/missing.bin', backend: 'azure' });
    expect((missingBlob as Error).message).toContain(container.containerName);

    const noContainer = createAzureBackend({
      container: 'no-such-container',
      env: keyEnv(),
      endpoint: server.endpoint,
    });
    for (const call of [
      () => noContainer.put('a.bin', patternStream(1, 10)),
      () => noContainer.get('a.bin'),
      async () => {
        for await (const _ of noContainer.list('')) break;
      },
    ]) {
      const error = await errorOf(call());
      expect(error).toMatchObject({ name: 'NotFoundError', code: 'NOT_FOUND' });
      expect((error as Error).message).toContain('container no-such-container does not exist');
    }
  });

  it('refuses a wrong key with an AuthenticationError naming azure and the variables to fix', async () => {
    const wrong = createAzureBackend({
      container: container.containerName,
      env: { AZURE_STORAGE_ACCOUNT: AZURITE_ACCOUNT, AZURE_STORAGE_KEY: randomBytes(64).toString('base64') },
      endpoint: server.endpoint,
    });
    for (const call of [() => wrong.stat('x.bin'), () => wrong.put('x.bin', patternStream(2, 1000))]) {
      const error = await errorOf(call());
      expect(error).toMatchObject({ name: 'AuthenticationError', code: 'AUTHENTICATION', backend: 'azure' });
      expect((error as Error).message).toMatch(/^azure: .*AZURE_STORAGE_KEY/);
      expect((error as Error).message).not.toContain(AZURITE_KEY);
    }
  });

  it('fails fast without credentials, naming where they come from', () => {
    expect(() => createAzureBackend({ container: 'c', env: {} })).toThrow(
      /AZURE_STORAGE_CONNECTION_STRING, or AZURE_STORAGE_ACCOUNT and AZURE_STORAGE_KEY/,
    );
  });

  it('takes credentials and endpoint from a connection string, or the endpoint from AZURE_STORAGE_BLOB_ENDPOINT', async () => {
    const fromString = createAzureBackend({
      container: container.containerName,
      env: { AZURE_STORAGE_CONNECTION_STRING: server.connectionString },
    });
    await fromString.put('credentials/string.bin', patternStream(3, 64));
    const fromEnvEndpoint = createAzureBackend({
      container: container.containerName,
      env: { ...keyEnv(), AZURE_STORAGE_BLOB_ENDPOINT: server.endpoint },
    });
    expect((await fromEnvEndpoint.stat('credentials/string.bin')).size).toBe(64);
    expect(fromEnvEndpoint.description).toBe(`azure://${container.containerName}`);
  });

  it('stops an aborted put and leaves no blob', async () => {
    const key = 'aborted/big.bin';
    const controller = new AbortController();
    const put = backend.put(key, patternStream(4, 64 * MiB), {
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    const error = await errorOf(put);
    expect(error).toMatchObject({ name: 'AbortError' });
    await expect(backend.stat(key)).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('repeats only the failed block when a connection is reset mid-upload (the SDK retry policy)', async () => {
    const size = 14 * MiB;
    const key = 'retry/block-retried.bin';
    const resetsBefore = proxy.resets;
    proxy.resetOnceAfter(2 * MiB);
    await throughProxy().put(key, patternStream(5, size));
    expect(proxy.resets).toBe(resetsBefore + 1);
    expect(await streamDigest(await backend.get(key))).toEqual({ sha256: patternSha256(5, size), size });
  });

  it('reports a reset as a retryable StorageError when the SDK may not retry, and leaves no blob', async () => {
    const key = 'retry/not-retried.bin';
    proxy.resetOnceAfter(2 * MiB);
    const error = await errorOf(throughProxy({ maxTries: 1 }).put(key, patternStream(6, 10 * MiB)));
    expect(error).toMatchObject({ name: 'StorageError', backend: 'azure', code: 'NETWORK', retryable: true });
    await expect(backend.stat(key)).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('reports a download reset midway as a retryable StorageError, and a ranged read continues it', async () => {
    const key = 'retry/download.bin';
    const size = 16 * MiB;
    await backend.put(key, patternStream(7, size));
    const reader = throughProxy();
    const hash = createHash('sha256');
    const errors: unknown[] = [];
    const resetsBefore = proxy.resets;
    let offset = 0;
    let dropped = false;
    // What a restore reading a backup does: on a retryable error, reopen from the first byte it does not have.
    while (offset < size && errors.length < 3) {
      try {
        for await (const chunk of await reader.get(key, { offset, length: size - offset })) {
          hash.update(chunk as Buffer);
          offset += (chunk as Buffer).length;
          if (!dropped) {
            dropped = true;
            proxy.dropConnections();
          }
        }
      } catch (error) {
        errors.push(error);
      }
    }
    expect(proxy.resets).toBeGreaterThan(resetsBefore);
    expect({ sha256: hash.digest('hex'), size: offset }).toEqual({ sha256: patternSha256(7, size), size });
    expect(errors.length).toBeLessThanOrEqual(1);
    for (const error of errors) {
      expect(error).toMatchObject({ name: 'StorageError', backend: 'azure', code: 'NETWORK', retryable: true });
    }
  });
});
