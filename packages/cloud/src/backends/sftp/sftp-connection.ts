import { readFile } from 'node:fs/promises';
import { connect as connectTcp, type Socket } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Client, type ConnectConfig, type SFTPWrapper } from 'ssh2';
import { AuthenticationError, StorageError } from '../../errors.js';
import {
  checkHostKey,
  type HostKeyVerificationError,
  loadKnownHostKeys,
  preferredHostKeyAlgorithms,
} from './host-key-check.js';
import type { SftpBackendOptions } from './sftp-backend-options.js';

/** One SSH connection with its SFTP channel. `alive` turns false once either closes. */
export interface SftpSession {
  readonly sftp: SFTPWrapper;
  readonly alive: boolean;
  close(): Promise<void>;
}

export interface SftpConnectTuning {
  /**
   * Disable Nagle's algorithm on the socket. ssh2 sends each SFTP request as a small write and waits for its reply,
   * so with Nagle on, every request waits for the previous segment's delayed ACK (~20x slower). Only tests turn it off.
   */
  noDelay: boolean;
}

const CONNECT_TIMEOUT_MS = 20_000;
const KEEPALIVE_INTERVAL_MS = 15_000;

export async function openSftpSession(
  options: SftpBackendOptions,
  tuning: SftpConnectTuning = { noDelay: true },
): Promise<SftpSession> {
  const port = options.port ?? 22;
  const where = `${options.user}@${options.host}:${port}`;
  const env = options.env ?? process.env;
  const config: ConnectConfig = {
    username: options.user,
    readyTimeout: CONNECT_TIMEOUT_MS,
    keepaliveInterval: KEEPALIVE_INTERVAL_MS,
    keepaliveCountMax: 3,
    ...(await authenticationConfig(options, env, where)),
  };

  let hostKeyProblem: HostKeyVerificationError | undefined;
  if (!options.insecure) {
    const knownHostsFile = options.knownHostsFile ?? join(env.HOME ?? homedir(), '.ssh', 'known_hosts');
    const known = await loadKnownHostKeys(knownHostsFile, options.host, port);
    const preferred = preferredHostKeyAlgorithms(known);
    if (preferred.length > 0) config.algorithms = { serverHostKey: { prepend: preferred } as never };
    config.hostVerifier = (key: Buffer) => {
      hostKeyProblem = checkHostKey(known, key);
      return hostKeyProblem === undefined;
    };
  }

  const socket = await connectSocket(options.host, port, where);
  socket.setNoDelay(tuning.noDelay);
  const client = new Client();
  try {
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      const onClose = () => reject(new Error('connection closed during the SSH handshake'));
      client.once('ready', () => {
        client.off('error', onError).off('close', onClose);
        resolve();
      });
      client.once('error', onError).once('close', onClose);
      client.connect({ ...config, sock: socket });
    });
  } catch (error) {
    client.end();
    socket.destroy();
    throw hostKeyProblem ?? toConnectError(error, where, options);
  }
  return openSftpChannel(client, where);
}

async function authenticationConfig(
  options: SftpBackendOptions,
  env: NodeJS.ProcessEnv,
  where: string,
): Promise<Partial<ConnectConfig>> {
  if (options.keyFile !== undefined) {
    try {
      return { privateKey: await readFile(options.keyFile) };
    } catch (error) {
      throw new AuthenticationError(
        'sftp',
        `sftp: cannot read the key file ${options.keyFile} for ${where} (${(error as Error).message}); pass a readable private key with --sftp-key-file`,
        { cause: error },
      );
    }
  }
  if (options.password !== undefined) return { password: options.password };
  if (env.SSH_AUTH_SOCK) return { agent: env.SSH_AUTH_SOCK };
  throw new AuthenticationError(
    'sftp',
    `sftp: no credentials for ${where}; pass a private key with --sftp-key-file, a password (from the environment or the prompt), or run an ssh-agent (SSH_AUTH_SOCK)`,
  );
}

function connectSocket(host: string, port: number, where: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp({ host, port });
    const timer = setTimeout(
      () => socket.destroy(Object.assign(new Error('connect timed out'), { code: 'ETIMEDOUT' })),
      CONNECT_TIMEOUT_MS,
    );
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const retryable = error.code === 'ETIMEDOUT' || error.code === 'ECONNRESET';
      reject(
        new StorageError(
          'sftp',
          'CONNECTION_FAILED',
          `sftp: cannot connect to ${where} (${error.code ?? error.message}); check the host and port and that sshd is running`,
          { cause: error, retryable },
        ),
      );
    });
  });
}

function toConnectError(error: unknown, where: string, options: SftpBackendOptions): Error {
  const { message, level, code } = error as Error & { level?: string; code?: string };
  if (level === 'client-authentication' || /authentication methods failed/i.test(message)) {
    const method =
      options.keyFile !== undefined
        ? `the key ${options.keyFile} (--sftp-key-file)`
        : options.password !== undefined
          ? 'the password'
          : 'the ssh-agent keys (SSH_AUTH_SOCK)';
    return new AuthenticationError(
      'sftp',
      `sftp: ${where} refused ${method}; add its public key to the user's authorized_keys or pass another --sftp-key-file / password`,
      { cause: error },
    );
  }
  if (/privateKey|private key|passphrase/i.test(message)) {
    return new AuthenticationError(
      'sftp',
      `sftp: cannot use the key file ${options.keyFile} for ${where} (${message}); pass an unencrypted OpenSSH or PEM private key with --sftp-key-file`,
      { cause: error },
    );
  }
  // The server (or something between) hung up mid-handshake: a new connection may well succeed.
  const retryable =
    code === 'ECONNRESET' ||
    code === 'ETIMEDOUT' ||
    level === 'client-timeout' ||
    level === 'client-socket' ||
    /connection lost before handshake|connection closed during the SSH handshake/i.test(message);
  return new StorageError('sftp', 'CONNECTION_FAILED', `sftp: SSH connection to ${where} failed: ${message}`, {
    cause: error,
    retryable,
  });
}

function openSftpChannel(client: Client, where: string): Promise<SftpSession> {
  return new Promise((resolve, reject) => {
    client.sftp((error, sftp) => {
      if (error) {
        client.end();
        reject(
          new StorageError(
            'sftp',
            'SFTP_UNAVAILABLE',
            `sftp: ${where} accepted the login but refused the sftp subsystem (${error.message}); enable "Subsystem sftp" in sshd_config`,
            { cause: error },
          ),
        );
        return;
      }
      let alive = true;
      let clientClosed = false;
      const markDead = () => {
        alive = false;
      };
      // Errors also arrive as failed requests; the listeners keep them from being unhandled 'error' events.
      client.on('error', markDead).on('end', markDead);
      client.on('close', () => {
        alive = false;
        clientClosed = true;
      });
      sftp.on('error', markDead).on('close', markDead);
      resolve({
        sftp,
        get alive() {
          return alive;
        },
        close: () =>
          new Promise<void>((done) => {
            alive = false;
            if (clientClosed) {
              done();
              return;
            }
            client.once('close', () => done());
            client.end();
          }),
      });
    });
  });
}
