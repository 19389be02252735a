/**
 * The SFTP backend against a real OpenSSH sshd (test/servers/sshd.ts): the shared conformance suite through a drop
 * proxy, then what only SFTP has: host-key verification, key / agent authentication, partial files, reconnects.
 */
import { execFile, spawn } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSftpBackend, type SftpBackendOptions } from '../src/backends/sftp/index.js';
import { SftpBackend } from '../src/backends/sftp/sftp-backend.js';
import { openSftpSession } from '../src/backends/sftp/sftp-connection.js';
import { type ConformanceTarget, patternStream, runConformanceSuite, streamDigest } from '../src/testing/index.js';
import { type DropProxy, startDropProxy } from './servers/drop-proxy.js';
import { type SshdServer, sshdAvailable, startSshd } from './servers/sshd.js';

const run = promisify(execFile);
const available = await sshdAvailable();

async function errorOf(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: Error) => error,
  );
}

/** known_hosts trusting the sshd's host key at `port` (the proxy's port when going through it). */
async function knownHostsFor(server: SshdServer, port: number, name: string): Promise<string> {
  const file = path.join(server.dataDirectory, '..', name);
  await writeFile(file, `[127.0.0.1]:${port} ${server.hostPublicKey.split(' ').slice(0, 2).join(' ')}\n`);
  return file;
}

function optionsFor(server: SshdServer, overrides: Partial<SftpBackendOptions> = {}): SftpBackendOptions {
  return {
    host: server.host,
    port: server.port,
    user: server.user,
    root: server.dataDirectory,
    keyFile: server.userKeyFile,
    knownHostsFile: server.knownHostsFile,
    env: {},
    ...overrides,
  };
}

if (!available) {
  const reason = '/usr/sbin/sshd is missing: install Debian openssh-server (apt-get install -y openssh-server)';
  console.warn(`SFTP tests skipped: ${reason}`);
  describe.skip(`sftp backend (${reason})`, () => {
    it('needs sshd', () => {});
  });
} else {
  runConformanceSuite('sftp (OpenSSH sshd)', async (): Promise<ConformanceTarget> => {
    const server = await startSshd();
    const proxy = await startDropProxy(server.port);
    const knownHostsFile = await knownHostsFor(server, proxy.port, 'known_hosts.proxy');
    const options = optionsFor(server, { port: proxy.port, knownHostsFile });
    return {
      backend: await createSftpBackend(options),
      prefix: 'suite/',
      dropConnections: () => proxy.dropConnections(),
      // Built without connecting, so the failure shows on the first call, as the suite expects.
      wrongCredentials: async () =>
        new SftpBackend(options.root, 'sftp://wrong-key', () =>
          openSftpSession({ ...options, keyFile: server.strangerKeyFile }),
        ),
      cleanup: async () => {
        await proxy.close();
        await server.stop();
      },
    };
  });

  describe('sftp backend specifics', () => {
    let server: SshdServer;
    let proxy: DropProxy;

    beforeAll(async () => {
      server = await startSshd();
      proxy = await startDropProxy(server.port);
    });
    afterAll(async () => {
      await proxy?.close();
      await server?.stop();
    });

    it('rejects a key the server does not know with an AuthenticationError naming sftp, user@host and the option', async () => {
      const error = await errorOf(createSftpBackend(optionsFor(server, { keyFile: server.strangerKeyFile })));
      expect(error).toMatchObject({ name: 'AuthenticationError', code: 'AUTHENTICATION', backend: 'sftp' });
      expect(error.message).toContain(`root@127.0.0.1:${server.port}`);
      expect(error.message).toContain('--sftp-key-file');
    });

    it('reports a port without sshd as CONNECTION_FAILED naming the address', async () => {
      const probe = net.createServer();
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
      const closedPort = (probe.address() as net.AddressInfo).port;
      await new Promise<void>((resolve) => probe.close(() => resolve()));
      const error = await errorOf(createSftpBackend(optionsFor(server, { port: closedPort })));
      expect(error).toMatchObject({ name: 'StorageError', code: 'CONNECTION_FAILED', backend: 'sftp' });
      expect(error.message).toContain(`root@127.0.0.1:${closedPort}`);
      expect(error.message).toContain('ECONNREFUSED');
    });

    it('asks for credentials when there is no key, password or agent', async () => {
      const error = await errorOf(createSftpBackend(optionsFor(server, { keyFile: undefined, env: {} })));
      expect(error).toMatchObject({ name: 'AuthenticationError', backend: 'sftp' });
      expect(error.message).toContain('SSH_AUTH_SOCK');
    });

    it('authenticates through ssh-agent (SSH_AUTH_SOCK) when no key or password is given', async () => {
      const socket = path.join(server.dataDirectory, '..', 'agent.sock');
      const agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
      try {
        for (let attempt = 0; attempt < 100; attempt++) {
          const ready = await run('ssh-add', ['-l'], { env: { SSH_AUTH_SOCK: socket } }).then(
            () => true,
            (error: { code?: number }) => error.code === 1, // 1: agent answers, holds no keys yet
          );
          if (ready) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        await run('ssh-add', [server.userKeyFile], { env: { SSH_AUTH_SOCK: socket } });
        const backend = await createSftpBackend(
          optionsFor(server, { keyFile: undefined, env: { SSH_AUTH_SOCK: socket } }),
        );
        await backend.put('agent/hello.txt', Readable.from([Buffer.from('hello')]));
        expect((await backend.stat('agent/hello.txt')).size).toBe(5);
        await backend.close();
      } finally {
        agent.kill('SIGTERM');
      }
    });

    describe('host-key verification', () => {
      it('accepts the key in known_hosts, also when the entry is hashed (ssh-keygen -H)', async () => {
        const hashed = await knownHostsFor(server, server.port, 'known_hosts.hashed');
        await run('ssh-keygen', ['-q', '-H', '-f', hashed]);
        const text = await readFile(hashed, 'utf8');
        expect(text.startsWith('|1|')).toBe(true);
        for (const knownHostsFile of [server.knownHostsFile, hashed]) {
          const backend = await createSftpBackend(optionsFor(server, { knownHostsFile }));
          await backend.close();
        }
      });

      it('refuses a host whose key differs from known_hosts, naming host, fingerprint and the fixes', async () => {
        const error = await errorOf(
          createSftpBackend(optionsFor(server, { knownHostsFile: server.wrongKnownHostsFile })),
        );
        expect(error).toMatchObject({ name: 'HostKeyVerificationError', code: 'AUTHENTICATION', backend: 'sftp' });
        expect(error.message).toContain(`[127.0.0.1]:${server.port}`);
        expect(error.message).toMatch(/SHA256:[A-Za-z0-9+/]{43}/);
        expect(error.message).toContain('--sftp-insecure');
        expect(error.message).toContain('ssh-keyscan');
        expect(error.message).toContain('MISMATCH');
      });

      it('refuses an unknown host, and connects to it with insecure', async () => {
        const missing = path.join(server.dataDirectory, '..', 'no-known-hosts');
        const error = await errorOf(createSftpBackend(optionsFor(server, { knownHostsFile: missing })));
        expect(error).toMatchObject({ name: 'HostKeyVerificationError', backend: 'sftp' });
        expect(error.message).toContain(`ssh-keyscan -p ${server.port} 127.0.0.1`);
        const backend = await createSftpBackend(optionsFor(server, { knownHostsFile: missing, insecure: true }));
        await backend.close();
      });
    });

    it('never shows a partial upload and removes it when the put fails', async () => {
      const backend = await createSftpBackend(optionsFor(server));
      try {
        let release: () => void = () => {};
        const halfway = new Promise<void>((resolve) => {
          release = resolve;
        });
        async function* slowThenFailing(): AsyncGenerator<Buffer> {
          yield Buffer.alloc(256 * 1024, 1);
          release();
          await new Promise((resolve) => setTimeout(resolve, 300));
          throw new Error('injected failure');
        }
        const putting = errorOf(
          backend.put('partial/object.bin', Readable.from(slowThenFailing(), { objectMode: false })),
        );
        await halfway;
        await new Promise((resolve) => setTimeout(resolve, 100));
        // The partial file exists on the server now, but list must not show it.
        const onDisk = await readdir(path.join(server.dataDirectory, 'partial'));
        expect(onDisk.some((name) => name.includes('.partial-'))).toBe(true);
        const listed: string[] = [];
        for await (const info of backend.list('partial/')) listed.push(info.key);
        expect(listed).toEqual([]);

        expect((await putting).message).toContain('injected failure');
        expect(await readdir(path.join(server.dataDirectory, 'partial'))).toEqual([]);
      } finally {
        await backend.close();
      }
    });

    it('reconnects on the next call after the connection dropped', async () => {
      const knownHostsFile = await knownHostsFor(server, proxy.port, 'known_hosts.reconnect');
      const backend = await createSftpBackend(optionsFor(server, { port: proxy.port, knownHostsFile }));
      try {
        await backend.put('reconnect/a.bin', patternStream(1, 1000));
        const resetsBefore = proxy.resets;
        proxy.dropConnections();
        // The call that meets the dead connection (or the reset reconnect) fails, retryable; a later one reconnects.
        const failure = await backend.stat('reconnect/a.bin').then(
          () => undefined,
          (error: Error & { retryable?: boolean }) => error,
        );
        if (failure) expect(failure).toMatchObject({ code: expect.stringMatching(/CONNECTION/), retryable: true });
        let info = await backend.stat('reconnect/a.bin').catch(() => undefined);
        info ??= await backend.stat('reconnect/a.bin');
        expect(info.size).toBe(1000);
        expect(proxy.resets).toBeGreaterThan(resetsBefore);
      } finally {
        await backend.close();
      }
    });

    it('refuses keys that leave the root', async () => {
      const backend = await createSftpBackend(optionsFor(server));
      try {
        await expect(backend.stat('../etc/passwd')).rejects.toMatchObject({ code: 'INVALID_KEY' });
        await expect(backend.stat('/etc/passwd')).rejects.toMatchObject({ code: 'INVALID_KEY' });
      } finally {
        await backend.close();
      }
    });

    it('measures throughput with and without setNoDelay (printed, not asserted)', async () => {
      const size = 16 * 1024 * 1024;
      const lines: string[] = [];
      for (const noDelay of [true, false]) {
        const options = optionsFor(server);
        const backend = new SftpBackend(options.root, 'sftp://throughput', () => openSftpSession(options, { noDelay }));
        try {
          // Without noDelay the transfer is slow; a smaller object keeps the test short.
          const bytes = noDelay ? size : size / 8;
          const putStart = performance.now();
          await backend.put(`throughput/${noDelay}.bin`, patternStream(3, bytes));
          const putSeconds = (performance.now() - putStart) / 1000;
          const getStart = performance.now();
          const digest = await streamDigest(await backend.get(`throughput/${noDelay}.bin`));
          const getSeconds = (performance.now() - getStart) / 1000;
          expect(digest.size).toBe(bytes);
          const mib = bytes / 1024 / 1024;
          lines.push(
            `setNoDelay(${noDelay}): put ${(mib / putSeconds).toFixed(1)} MiB/s, get ${(mib / getSeconds).toFixed(1)} MiB/s (${mib} MiB)`,
          );
        } finally {
          await backend.close();
        }
      }
      console.log(`SFTP throughput against local sshd:\n  ${lines.join('\n  ')}`);
    });
  });
}
