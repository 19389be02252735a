import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import mysql, { type Connection } from 'mysql2/promise';

const run = promisify(execFile);

/** A private MariaDB server in a temporary directory: root on 127.0.0.1:`port`, empty password. */
export interface ThrowawayMariadb {
  host: string;
  port: number;
  user: string;
  dir: string;
  connect(database?: string): Promise<Connection>;
  /** Client arguments (mariadb, mariadb-dump) pointing at this server. */
  clientArguments(): string[];
  stop(): Promise<void>;
}

/**
 * mariadb-install-db into a fresh directory, then mariadbd on a spare port in the background; resolves once it
 * answers. `stop()` shuts it down and deletes the directory (call it in afterAll).
 */
export async function startThrowawayMariadb(): Promise<ThrowawayMariadb> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dbb-mariadb-'));
  const dataDir = path.join(dir, 'data');
  let server: ChildProcess | undefined;
  try {
    await run('chown', ['mysql:mysql', dir]);
    await run('mariadb-install-db', [
      '--no-defaults',
      '--user=mysql',
      `--datadir=${dataDir}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
    ]);
    const port = await sparePort();
    server = spawn(
      'mariadbd',
      [
        '--no-defaults',
        '--user=mysql',
        `--datadir=${dataDir}`,
        `--socket=${path.join(dir, 'sock')}`,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        `--pid-file=${path.join(dir, 'pid')}`,
        '--local-infile=1',
        '--skip-log-bin',
        '--innodb-buffer-pool-size=64M',
      ],
      { stdio: 'ignore' },
    );
    const started = server;
    const exited = new Promise<number | null>((resolve) => started.once('exit', (code) => resolve(code)));
    const config = { host: '127.0.0.1', port, user: 'root', password: '' };
    await waitUntilAnswering(config, exited);
    return {
      ...config,
      dir,
      connect: (database) => mysql.createConnection({ ...config, ...(database === undefined ? {} : { database }) }),
      clientArguments: () => ['-h', config.host, '-P', String(port), '-u', config.user],
      stop: async () => {
        if (started.exitCode === null) {
          started.kill('SIGTERM');
          await exited;
        }
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    server?.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

async function sparePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function waitUntilAnswering(config: mysql.ConnectionOptions, exited: Promise<number | null>): Promise<void> {
  let stopped: number | null | undefined;
  void exited.then((code) => {
    stopped = code;
  });
  for (let attempt = 0; attempt < 300; attempt++) {
    if (stopped !== undefined) throw new Error(`the throwaway mariadbd exited with code ${stopped} while starting`);
    try {
      const connection = await mysql.createConnection(config);
      await connection.end();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error('the throwaway mariadbd did not answer within 30 s');
}
