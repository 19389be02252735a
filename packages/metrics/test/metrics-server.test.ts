import { rm } from 'node:fs/promises';
import { Agent, request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { Catalog } from '@dbbackup/catalog';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  createMetricsServer,
  MetricsPortInUseError,
  type MetricsServer,
  type MetricsServerOptions,
} from '../src/index.js';
import { parseExposition, promtoolCheckMetrics, sampleValue } from '../src/testing/index.js';
import { recordBackup, tempDirectory } from './support/temp-catalog.js';

const BUILD = { version: '1.2.3', commit: 'abc1234' };

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function fetchReply(
  server: MetricsServer,
  path: string,
  options: { method?: string; agent?: Agent } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: server.host, port: server.port, path, method: options.method ?? 'GET', agent: options.agent ?? false },
      (response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (text: string) => {
          body += text;
        });
        response.once('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      },
    );
    request.once('error', reject);
    request.end();
  });
}

async function startServer(
  options: Partial<MetricsServerOptions> & { catalogPath: string },
): Promise<{ server: MetricsServer; logged: string[] }> {
  const logged: string[] = [];
  const server = await createMetricsServer({
    ...BUILD,
    host: '127.0.0.1',
    port: 0,
    log: (line) => logged.push(line),
    ...options,
  });
  onTestFinished(() => server.close());
  return { server, logged };
}

async function catalogWithOneBackup(database = 'shop'): Promise<string> {
  const path = join(await tempDirectory(), 'catalog.db');
  const catalog = await Catalog.open(path);
  await recordBackup(catalog, { database, verification: 'passed' });
  await catalog.close();
  return path;
}

interface RawConnection {
  socket: Socket;
  /** Everything the server sent, once it closed the connection. */
  received: Promise<string>;
}

function rawConnection(server: MetricsServer): Promise<RawConnection> {
  const socket = connect(server.port, server.host);
  let data = '';
  socket.setEncoding('utf8').on('data', (text: string) => {
    data += text;
  });
  const received = new Promise<string>((resolve) => socket.once('close', () => resolve(data)));
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('connect', () => resolve({ socket, received }));
  });
}

/**
 * A connection with a request in progress on it: a complete GET /health pipelined with the first lines of a
 * GET /metrics. Once the answer to the first has arrived, the server has begun reading the second (it parses the
 * whole packet), so the connection is busy, not idle. Resolves then; finish the request with `socket.write('\r\n')`.
 */
async function requestInProgress(server: MetricsServer): Promise<RawConnection> {
  const connection = await rawConnection(server);
  let seen = '';
  const firstAnswered = new Promise<void>((resolve) => {
    connection.socket.on('data', (text: string) => {
      seen += text;
      if (seen.endsWith('ok\n')) resolve();
    });
  });
  connection.socket.write('GET /health HTTP/1.1\r\nHost: exporter\r\n\r\nGET /metrics HTTP/1.1\r\nHost: exporter\r\n');
  await firstAnswered;
  return connection;
}

describe('createMetricsServer', () => {
  it('serves /metrics (GET and HEAD), /health, an index, 404 and 405', async () => {
    const { server, logged } = await startServer({ catalogPath: await catalogWithOneBackup() });
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);

    const metrics = await fetchReply(server, '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const samples = parseExposition(metrics.body);
    expect(sampleValue(samples, 'dbbackup_catalog_up')).toBe(1);
    expect(sampleValue(samples, 'dbbackup_backup_verified', { database: 'shop' })).toBe(1);
    expect(sampleValue(samples, 'dbbackup_build_info', BUILD)).toBe(1);
    expect(await promtoolCheckMetrics(metrics.body)).toBe('');

    const head = await fetchReply(server, '/metrics', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    // The same document without its body (its RPO value, and so its length, moves with the clock).
    expect(Number(head.headers['content-length'])).toBeGreaterThan(Buffer.byteLength(metrics.body) - 10);
    expect(head.headers['content-type']).toBe(metrics.headers['content-type']);

    expect(await fetchReply(server, '/health')).toMatchObject({ status: 200, body: 'ok\n' });
    const index = await fetchReply(server, '/?from=browser');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.body).toContain('href="metrics"');
    expect(index.body).toContain('1.2.3 (commit abc1234)');

    const missing = await fetchReply(server, '/metricz');
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('/metrics');
    const post = await fetchReply(server, '/metrics', { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers['allow']).toBe('GET, HEAD');
    expect(logged).toEqual([]);
  });

  it('an unreadable catalog: /metrics 200 with catalog_up 0, /health 503, one log line; it recovers when the catalog appears', async () => {
    const catalogPath = join(await tempDirectory(), 'catalog.db');
    const { server, logged } = await startServer({ catalogPath });

    for (let scrape = 0; scrape < 3; scrape++) {
      const metrics = await fetchReply(server, '/metrics');
      expect(metrics.status).toBe(200);
      const samples = parseExposition(metrics.body);
      expect(sampleValue(samples, 'dbbackup_catalog_up')).toBe(0);
      expect(sampleValue(samples, 'dbbackup_build_info', BUILD)).toBe(1);
      expect(samples).toHaveLength(2);
      expect(await promtoolCheckMetrics(metrics.body)).toBe('');
    }
    const health = await fetchReply(server, '/health');
    expect(health.status).toBe(503);
    expect(health.body).toContain(catalogPath);
    expect(health.body).toContain('does not exist');
    expect(health.body.trim().split('\n')).toHaveLength(1);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('dbbackup_catalog_up 0');
    expect(logged[0]).toContain(catalogPath);

    // The catalog is created by a writer: the next scrape reads it (each scrape opens the file anew).
    const catalog = await Catalog.open(catalogPath);
    await recordBackup(catalog, { database: 'first' });
    await catalog.close();
    expect(sampleValue(parseExposition((await fetchReply(server, '/metrics')).body), 'dbbackup_catalog_up')).toBe(1);
    expect((await fetchReply(server, '/health')).status).toBe(200);
    expect(logged).toHaveLength(2);
    expect(logged[1]).toContain('readable again');

    // Deleted and recreated with other contents (a restore of ~/.dbbackup, catalog sync into a new file): picked up.
    await rm(catalogPath);
    await rm(`${catalogPath}-wal`, { force: true });
    await rm(`${catalogPath}-shm`, { force: true });
    const recreated = await Catalog.open(catalogPath);
    await recordBackup(recreated, { database: 'second' });
    await recreated.close();
    const samples = parseExposition((await fetchReply(server, '/metrics')).body);
    expect(sampleValue(samples, 'dbbackup_backup_by_type', { database: 'second' })).toBe(1);
    expect(samples.some((sample) => sample.labels['database'] === 'first')).toBe(false);
  });

  it('a port in use: MetricsPortInUseError naming the port and --port', async () => {
    const { server } = await startServer({ catalogPath: await catalogWithOneBackup() });
    const error = await createMetricsServer({ ...BUILD, catalogPath: 'x', host: '127.0.0.1', port: server.port }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(MetricsPortInUseError);
    expect((error as Error).message).toContain(`port ${server.port}`);
    expect((error as Error).message).toContain('--port');
  });

  it('close() lets a request in progress finish, refuses new connections, and ends idle keep-alive connections', async () => {
    const { server } = await startServer({ catalogPath: await catalogWithOneBackup(), shutdownTimeoutMs: 60_000 });

    // An idle keep-alive connection: close() must not wait for its keep-alive timeout.
    const agent = new Agent({ keepAlive: true });
    onTestFinished(() => agent.destroy());
    expect((await fetchReply(server, '/health', { agent })).status).toBe(200);

    const inFlight = await requestInProgress(server);
    let closed = false;
    const closing = server.close().then(() => {
      closed = true;
    });

    const refused = await rawConnection(server).then(
      () => 'connected',
      (error: NodeJS.ErrnoException) => error.code,
    );
    expect(refused).toBe('ECONNREFUSED');
    expect(closed).toBe(false);

    inFlight.socket.write('\r\n');
    const answer = await inFlight.received;
    const second = answer.slice(answer.indexOf('ok\n') + 3);
    expect(second).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(second.toLowerCase()).toContain('connection: close');
    expect(second).toContain('dbbackup_catalog_up 1');
    await closing;
    expect(closed).toBe(true);
  });

  it('close() is bounded: a client that never finishes its request is cut off after shutdownTimeoutMs', async () => {
    const { server } = await startServer({ catalogPath: await catalogWithOneBackup(), shutdownTimeoutMs: 200 });
    const stalled = await requestInProgress(server);
    await server.close();
    const received = await stalled.received;
    expect(received).toContain('ok\n');
    expect(received).not.toContain('dbbackup_catalog_up');
  });
});
