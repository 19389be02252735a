/**
 * A throwaway OpenSSH sshd (Debian `openssh-server`) on 127.0.0.1 and a free port, for the SFTP backend tests: its own
 * host key, a user key in its own authorized_keys, root login, internal-sftp. Nothing outside a temp directory
 * (and /run/sshd, sshd's privilege-separation directory) is touched.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { access, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const SSHD_BINARY = '/usr/sbin/sshd';
const STARTUP_TIMEOUT_MS = 15_000;

export interface SshdServer {
  host: '127.0.0.1';
  port: number;
  user: string;
  /** Private key whose public half is in authorized_keys. */
  userKeyFile: string;
  /** A private key the server does not know. */
  strangerKeyFile: string;
  /** A known_hosts file holding the server's real host key as `[127.0.0.1]:port`. */
  knownHostsFile: string;
  /** A known_hosts file holding another key for the same host. */
  wrongKnownHostsFile: string;
  /** `ssh-ed25519 AAAA…` of the host key. */
  hostPublicKey: string;
  /** A directory the tests may use as the backend root. */
  dataDirectory: string;
  /** Everything sshd wrote to stderr, for diagnosing failures. */
  log(): string;
  stop(): Promise<void>;
}

export async function sshdAvailable(): Promise<boolean> {
  return access(SSHD_BINARY).then(
    () => true,
    () => false,
  );
}

async function generateKey(file: string): Promise<string> {
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'dbbackup-test', '-f', file]);
  return (await readFile(`${file}.pub`, 'utf8')).trim();
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return address.port;
}

export async function startSshd(): Promise<SshdServer> {
  const directory = await mkdtemp(path.join(tmpdir(), 'dbbackup-sshd-'));
  const dataDirectory = path.join(directory, 'data');
  await mkdir(dataDirectory);
  const hostKeyFile = path.join(directory, 'host_ed25519');
  const userKeyFile = path.join(directory, 'user_ed25519');
  const strangerKeyFile = path.join(directory, 'stranger_ed25519');
  const otherHostKeyFile = path.join(directory, 'other_host_ed25519');
  const [hostPublicKey, userPublicKey, , otherHostPublicKey] = await Promise.all([
    generateKey(hostKeyFile),
    generateKey(userKeyFile),
    generateKey(strangerKeyFile),
    generateKey(otherHostKeyFile),
  ]);
  await writeFile(path.join(directory, 'authorized_keys'), `${userPublicKey}\n`, { mode: 0o600 });

  const port = await freePort();
  const keyPart = (line: string) => line.split(' ').slice(0, 2).join(' ');
  const knownHostsFile = path.join(directory, 'known_hosts');
  const wrongKnownHostsFile = path.join(directory, 'known_hosts.wrong');
  await writeFile(knownHostsFile, `[127.0.0.1]:${port} ${keyPart(hostPublicKey)}\n`);
  await writeFile(wrongKnownHostsFile, `[127.0.0.1]:${port} ${keyPart(otherHostPublicKey)}\n`);

  const configFile = path.join(directory, 'sshd_config');
  await writeFile(
    configFile,
    [
      'ListenAddress 127.0.0.1',
      `Port ${port}`,
      `HostKey ${hostKeyFile}`,
      `AuthorizedKeysFile ${path.join(directory, 'authorized_keys')}`,
      `PidFile ${path.join(directory, 'sshd.pid')}`,
      'StrictModes no',
      'UsePAM no',
      'PermitRootLogin yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'MaxStartups 100',
      'Subsystem sftp internal-sftp',
      '',
    ].join('\n'),
  );
  await mkdir('/run/sshd', { recursive: true });

  const child = spawn(SSHD_BINARY, ['-D', '-e', '-f', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    log += text;
  });
  await waitForListening(child, () => log, port);

  return {
    host: '127.0.0.1',
    port,
    user: 'root',
    userKeyFile,
    strangerKeyFile,
    knownHostsFile,
    wrongKnownHostsFile,
    hostPublicKey,
    dataDirectory,
    log: () => log,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(directory, { recursive: true, force: true });
    },
  };
}

async function waitForListening(child: ChildProcess, log: () => string, port: number): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`sshd exited with ${child.exitCode} before listening:\n${log()}`);
    if (log().includes('Server listening on')) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGTERM');
  throw new Error(`sshd did not listen on 127.0.0.1:${port} within ${STARTUP_TIMEOUT_MS} ms:\n${log()}`);
}
