import { createServer } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Catalog } from '@dbbackup/catalog';
import { createLocalBackend } from '@dbbackup/cloud';
import { initStore } from '@dbbackup/dedup-store';
import { parseExposition, promtoolCheckMetrics, sampleValue } from '@dbbackup/metrics/testing';
import { describe, expect, it } from 'vitest';
import packageJson from '../package.json' with { type: 'json' };
import { runExporter, startExporter, tempDirectory } from './support/exporter-process.js';

/** A catalog with a verified backup of shop that finished at 2026-11-20T02:01:00Z, and a failed one of orders. */
async function catalogWithBackups(path: string): Promise<void> {
  const catalog = await Catalog.open(path);
  try {
    const shop = await catalog.beginBackup({
      database: 'shop',
      engine: 'postgresql',
      host: 'db1',
      kind: 'single',
      format: 'archive',
      location: '/backups/shop.dbb.tar',
      startedAt: '2026-11-20T02:00:00Z',
      encrypted: false,
      compression: 'zstd:3',
    });
    await catalog.finishBackup(shop.id, {
      finishedAt: '2026-11-20T02:01:00Z',
      bytes: 123_456,
      sha256: 'a'.repeat(64),
      consistency: null,
      serverVersion: '15.4',
      tables: 3,
      rows: 10,
    });
    await catalog.recordVerification(shop.id, {
      at: '2026-11-20T03:00:00Z',
      result: 'passed',
      kind: 'verify',
      detail: null,
    });
    const orders = await catalog.beginBackup({
      database: 'orders',
      engine: 'mariadb',
      host: 'db2',
      kind: 'single',
      format: 'archive',
      location: '/backups/orders.dbb.tar',
      startedAt: '2026-11-20T02:00:00Z',
      encrypted: false,
      compression: 'zstd:3',
    });
    await catalog.failBackup(orders.id, 'connection refused', '2026-11-20T02:00:05Z');
  } finally {
    await catalog.close();
  }
}

async function get(url: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.text() };
}

describe('dbbackup-exporter', () => {
  it('serves the catalog on a free port and stops with status 0 on SIGTERM', async () => {
    const catalogPath = join(await tempDirectory(), 'catalog.db');
    await catalogWithBackups(catalogPath);
    const exporter = await startExporter(['--port', '0', '--host', '127.0.0.1', '--catalog', catalogPath]);
    expect(exporter.stderr()).toContain(`from the catalog ${catalogPath}`);
    expect(exporter.stderr().trim().split('\n')).toHaveLength(1);

    const metrics = await get(`${exporter.url}metrics`);
    expect(metrics.status).toBe(200);
    expect(await promtoolCheckMetrics(metrics.body)).toBe('');
    const samples = parseExposition(metrics.body);
    const shop = { server: 'db1', database: 'shop', engine: 'postgresql', backup_type: 'single' };
    expect(sampleValue(samples, 'dbbackup_catalog_up')).toBe(1);
    expect(sampleValue(samples, 'dbbackup_last_success_timestamp', shop)).toBe(
      Date.parse('2026-11-20T02:01:00Z') / 1000,
    );
    expect(sampleValue(samples, 'dbbackup_last_backup_size_bytes', shop)).toBe(123_456);
    expect(sampleValue(samples, 'dbbackup_last_backup_duration_seconds', shop)).toBe(60);
    expect(sampleValue(samples, 'dbbackup_backup_verified', shop)).toBe(1);
    expect(sampleValue(samples, 'dbbackup_rpo_seconds', shop)).toBeGreaterThan(0);
    const orders = { server: 'db2', database: 'orders', engine: 'mariadb', backup_type: 'single' };
    expect(sampleValue(samples, 'dbbackup_backup_total', { ...orders, status: 'failed' })).toBe(1);
    expect(sampleValue(samples, 'dbbackup_backup_total', { ...orders, status: 'success' })).toBe(0);
    const build = samples.find((sample) => sample.name === 'dbbackup_build_info');
    expect(build?.labels['version']).toBe(packageJson.version);
    expect(build?.labels['commit']).toMatch(/^([0-9a-f]{4,40}|unknown)$/);

    expect(await get(`${exporter.url}health`)).toEqual({ status: 200, body: 'ok\n' });

    exporter.child.kill('SIGTERM');
    expect(await exporter.exited).toEqual({ code: 0, signal: null });
    expect(exporter.stderr()).toContain('SIGTERM received, stopping');
    expect(exporter.stderr()).toContain('stopped');
  });

  it('--dedup-dir adds the newest snapshot of each database in the store; a missing store is up 0, logged once', async () => {
    const directory = await tempDirectory();
    const catalogPath = join(directory, 'catalog.db');
    await catalogWithBackups(catalogPath);
    const storeDirectory = join(directory, 'dedup');
    const backend = createLocalBackend({ root: storeDirectory });
    const store = await initStore({ backend });
    const created = '2026-11-23T02:00:00.000Z';
    await store.backup(Readable.from([Buffer.from('INSERT INTO t VALUES (1);\n'.repeat(500))]), {
      source: 'postgresql://db1:5432/shop',
      database: 'shop',
      engine: 'postgresql',
      time: new Date(created),
    });
    await backend.close();
    const missing = join(directory, 'no-store');
    const exporter = await startExporter([
      '--catalog',
      catalogPath,
      '--dedup-dir',
      storeDirectory,
      '--dedup-dir',
      missing,
    ]);
    for (let scrape = 0; scrape < 2; scrape += 1) {
      const metrics = await get(`${exporter.url}metrics`);
      expect(await promtoolCheckMetrics(metrics.body)).toBe('');
      const samples = parseExposition(metrics.body);
      expect(
        sampleValue(samples, 'dbbackup_dedup_database_last_backup_timestamp', {
          server: 'db1',
          database: 'shop',
          engine: 'postgresql',
          store: storeDirectory,
        }),
      ).toBe(Date.parse(created) / 1000);
      expect(sampleValue(samples, 'dbbackup_dedup_store_up', { store: storeDirectory })).toBe(1);
      expect(sampleValue(samples, 'dbbackup_dedup_store_up', { store: missing })).toBe(0);
    }
    // Two scrapes, one line about the missing store (after the startup line).
    const lines = exporter.stderr().trim().split('\n');
    expect(lines.filter((line) => line.includes(`cannot read the dedup store ${missing}`))).toHaveLength(1);
    exporter.child.kill('SIGTERM');
    expect(await exporter.exited).toEqual({ code: 0, signal: null });

    const keyWithoutStore = runExporter(['--dedup-key-file', join(directory, 'key')]);
    expect(keyWithoutStore.status).toBe(2);
    expect(keyWithoutStore.stderr).toContain('--dedup-dir');
  });

  it('takes the catalog from DBBACKUP_CATALOG, answers 503 on /health while it is missing, and stops on SIGINT', async () => {
    const catalogPath = join(await tempDirectory(), 'not-yet', 'catalog.db');
    const exporter = await startExporter(['--port', '0'], { DBBACKUP_CATALOG: catalogPath });
    expect(exporter.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const health = await get(`${exporter.url}health`);
    expect(health.status).toBe(503);
    expect(health.body).toContain(catalogPath);
    const samples = parseExposition((await get(`${exporter.url}metrics`)).body);
    expect(sampleValue(samples, 'dbbackup_catalog_up')).toBe(0);
    expect(exporter.stderr()).toContain('serving dbbackup_catalog_up 0');
    exporter.child.kill('SIGINT');
    expect(await exporter.exited).toEqual({ code: 0, signal: null });
  });

  it('defaults to ~/.dbbackup/catalog.db', async () => {
    const home = await tempDirectory();
    const exporter = await startExporter(['--port', '0'], { HOME: home });
    expect(exporter.stderr()).toContain(`from the catalog ${join(home, '.dbbackup/catalog.db')}`);
    exporter.child.kill('SIGTERM');
    expect((await exporter.exited).code).toBe(0);
  });

  it('a port in use: one line naming the port and --port, exit 2', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const result = runExporter(['--port', String(port), '--catalog', '/nonexistent/catalog.db']);
      expect(result.status).toBe(2);
      expect(result.stderr).toBe(
        `dbbackup-exporter: port ${port} on 127.0.0.1 is already in use (is another exporter running?); stop that process or choose another port with --port\n`,
      );
    } finally {
      blocker.close();
    }
  });

  it('--help, --version, and one-line errors with exit 2 for an unknown flag or a bad port', () => {
    const help = runExporter(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--catalog <path>');
    expect(help.stdout).toContain('Examples:');

    const version = runExporter(['--version']);
    expect(version.stderr).toBe('');
    expect(version.status).toBe(0);
    expect(version.stdout).toMatch(new RegExp(`^dbbackup-exporter ${packageJson.version} \\(commit \\S+\\)\\n$`));

    const unknown = runExporter(['--prot', '9399']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toBe('dbbackup-exporter: unknown option --prot; see dbbackup-exporter --help\n');

    const badPort = runExporter(['--port', '70000']);
    expect(badPort.status).toBe(2);
    expect(badPort.stderr).toBe(
      "dbbackup-exporter: invalid --port '70000': expected a number from 0 to 65535; see dbbackup-exporter --help\n",
    );

    const positional = runExporter(['serve']);
    expect(positional.status).toBe(2);
    expect(positional.stderr.trim().split('\n')).toHaveLength(1);
  });
});
