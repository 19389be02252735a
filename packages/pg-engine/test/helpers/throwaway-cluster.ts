/**
 * A throwaway PostgreSQL instance for cluster restores: initdb into a temporary directory and pg_ctl start on a
 * spare port (TCP on 127.0.0.1 and a socket in the same directory), trust authentication, bootstrap superuser
 * `postgres`. initdb refuses to run as root, so as root the binaries run as the `postgres` OS user (runuser) in a
 * directory owned by it. stop() ends the server immediately and deletes the directory.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ConnectionOptions } from '@dbbackup/archive';
import pg from 'pg';

const run = promisify(execFile);
const POSTGRES_OS_USER = 'postgres';

export interface ThrowawayCluster {
  port: number;
  /** Where the data directory, the socket and the server log live. */
  directory: string;
  connection: ConnectionOptions;
  /** Environment for psql/pg_dump against this instance. */
  environment: NodeJS.ProcessEnv;
  withClient<T>(database: string, work: (client: pg.Client) => Promise<T>): Promise<T>;
  stop(): Promise<void>;
}

/** The newest /usr/lib/postgresql/<major>/bin, or $PG_BINDIR. */
export function postgresBinDirectory(): string {
  if (process.env.PG_BINDIR) return process.env.PG_BINDIR;
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root)
    ? readdirSync(root)
        .filter((name) => /^\d+$/.test(name) && existsSync(path.join(root, name, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (majors.length === 0) throw new Error(`no PostgreSQL server binaries under ${root}; set PG_BINDIR`);
  return path.join(root, majors[0]!, 'bin');
}

/** Server settings (`-c name=value`) beyond the defaults below, which they override. */
export interface ThrowawayClusterOptions {
  settings?: Record<string, string | number>;
}

export async function startThrowawayCluster(options: ThrowawayClusterOptions = {}): Promise<ThrowawayCluster> {
  const bin = postgresBinDirectory();
  const directory = await mkdtemp(path.join(os.tmpdir(), 'pg-throwaway-'));
  const asRoot = process.getuid?.() === 0;
  const command = async (program: string, args: string[]) => {
    const file = path.join(bin, program);
    if (asRoot) await run('runuser', ['-u', POSTGRES_OS_USER, '--', file, ...args], { cwd: directory });
    else await run(file, args, { cwd: directory });
  };
  const dataDirectory = path.join(directory, 'data');
  let started = false;
  try {
    if (asRoot) {
      const { stdout } = await run('id', ['-u', POSTGRES_OS_USER]);
      const { stdout: group } = await run('id', ['-g', POSTGRES_OS_USER]);
      await chown(directory, Number(stdout.trim()), Number(group.trim()));
    }
    await chmod(directory, 0o700);
    await command('initdb', [
      '-D',
      dataDirectory,
      '-U',
      'postgres',
      '--auth=trust',
      '--encoding=UTF8',
      '--locale=C.UTF-8',
      '--no-sync',
    ]);
    const port = await sparePort();
    const settings = { listen_addresses: '127.0.0.1', fsync: 'off', max_connections: 40, ...options.settings };
    const serverOptions = [
      `-p ${port} -k ${directory}`,
      ...Object.entries(settings).map(([name, value]) => `-c ${name}=${value}`),
    ].join(' ');
    await command('pg_ctl', [
      '-D',
      dataDirectory,
      '-o',
      serverOptions,
      '-l',
      path.join(directory, 'server.log'),
      '-w',
      'start',
    ]);
    started = true;
    const connection: ConnectionOptions = { host: '127.0.0.1', port, user: 'postgres' };
    return {
      port,
      directory,
      connection,
      environment: { ...process.env, PGHOST: '127.0.0.1', PGPORT: String(port), PGUSER: 'postgres' },
      async withClient(database, work) {
        const client = new pg.Client({ ...connection, database });
        await client.connect();
        try {
          return await work(client);
        } finally {
          await client.end();
        }
      },
      async stop() {
        await command('pg_ctl', ['-D', dataDirectory, '-m', 'immediate', 'stop']).catch(() => undefined);
        await rm(directory, { recursive: true, force: true });
      },
    };
  } catch (error) {
    if (started) await command('pg_ctl', ['-D', dataDirectory, '-m', 'immediate', 'stop']).catch(() => undefined);
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
}

/** A port nothing listens on right now (the kernel's choice for an ephemeral listener). */
async function sparePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
