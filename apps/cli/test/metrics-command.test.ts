import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Catalog } from '@dbbackup/catalog';
import { parseExposition, promtoolCheckMetrics, sampleValue } from '@dbbackup/metrics/testing';
import { describe, expect, it } from 'vitest';
import { emptyDirectory, runBuiltCli, spawnBuiltCli } from './support/run-built-cli.js';

/** A catalog with one verified backup of shop (finished 2026-11-20T02:01:00Z, 4096 bytes) and a failed one. */
async function catalogWithBackups(directory: string): Promise<string> {
  const path = join(directory, 'catalog.db');
  const catalog = await Catalog.open(path);
  try {
    const input = {
      engine: 'postgresql',
      host: 'db1',
      kind: 'single' as const,
      format: 'archive' as const,
      startedAt: '2026-11-20T02:00:00Z',
      encrypted: false,
      compression: 'zstd:3',
    };
    const shop = await catalog.beginBackup({ ...input, database: 'shop', location: '/backups/shop.dbb.tar' });
    await catalog.finishBackup(shop.id, {
      finishedAt: '2026-11-20T02:01:00Z',
      bytes: 4096,
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
    const orders = await catalog.beginBackup({ ...input, database: 'orders', location: '/backups/orders.dbb.tar' });
    await catalog.failBackup(orders.id, 'connection refused', '2026-11-20T02:00:05Z');
  } finally {
    await catalog.close();
  }
  return path;
}

const SHOP = { server: 'db1', database: 'shop', engine: 'postgresql', backup_type: 'single' };

describe('dbbackup metrics', () => {
  it('export writes a promtool-clean .prom file (mode 0644) with the catalog values; --format json describes it', async () => {
    const directory = emptyDirectory();
    const catalog = await catalogWithBackups(directory);
    const output = join(directory, 'dbbackup.prom');
    const result = runBuiltCli(['metrics', 'export', '--output', output, '--format', 'json'], {
      env: { DBBACKUP_CATALOG: catalog },
      cwd: directory,
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const text = readFileSync(output, 'utf8');
    expect(JSON.parse(result.stdout)).toEqual({
      path: output,
      metrics: parseExposition(text).length,
      bytes: Buffer.byteLength(text),
    });
    expect(statSync(output).mode & 0o777).toBe(0o644);
    expect(await promtoolCheckMetrics(text)).toBe('');
    const samples = parseExposition(text);
    expect(sampleValue(samples, 'dbbackup_catalog_up')).toBe(1);
    expect(sampleValue(samples, 'dbbackup_last_success_timestamp', SHOP)).toBe(
      Date.parse('2026-11-20T02:01:00Z') / 1000,
    );
    expect(sampleValue(samples, 'dbbackup_last_backup_size_bytes', SHOP)).toBe(4096);
    expect(sampleValue(samples, 'dbbackup_backup_verified', SHOP)).toBe(1);
    expect(sampleValue(samples, 'dbbackup_backup_total', { database: 'orders', status: 'failed' })).toBe(1);
    const build = samples.find((sample) => sample.name === 'dbbackup_build_info');
    expect(build?.labels['commit']).toMatch(/^([0-9a-f]{4,40}|unknown)$/);
  });

  it('export --dedup-dir adds the newest snapshot per database of each store; an unreadable store is up 0, exit 1', async () => {
    const directory = emptyDirectory();
    const catalog = await catalogWithBackups(directory);
    const store = join(directory, 'dedup');
    writeFileSync(join(directory, 'shop.sql'), 'INSERT INTO t VALUES (1);\n'.repeat(1000));
    const env = { DBBACKUP_CATALOG: catalog };
    const backup = runBuiltCli(['dedup', 'backup', 'shop.sql', '--dedup-dir', store, '--database', 'shop'], {
      env,
      cwd: directory,
    });
    expect(backup.status).toBe(0);
    const output = join(directory, 'dbbackup.prom');
    const missing = join(directory, 'no-store-here');
    const result = runBuiltCli(
      ['metrics', 'export', '--output', output, '--dedup-dir', store, '--dedup-dir', missing],
      {
        env,
        cwd: directory,
      },
    );
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(missing);
    const text = readFileSync(output, 'utf8');
    expect(await promtoolCheckMetrics(text)).toBe('');
    const samples = parseExposition(text);
    const list = runBuiltCli(['dedup', 'list', '--dedup-dir', store, '--format', 'json'], { env, cwd: directory });
    const [snapshot] = JSON.parse(list.stdout) as Array<{ created: string }>;
    expect(sampleValue(samples, 'dbbackup_dedup_database_last_backup_timestamp', { database: 'shop', store })).toBe(
      Date.parse(snapshot?.created ?? '') / 1000,
    );
    expect(sampleValue(samples, 'dbbackup_dedup_store_up', { store })).toBe(1);
    expect(sampleValue(samples, 'dbbackup_dedup_store_up', { store: missing })).toBe(0);
    expect(sampleValue(samples, 'dbbackup_catalog_up')).toBe(1);
  });

  it('export of an unreadable catalog still writes the file (catalog_up 0) and exits 1 with one line', () => {
    const directory = emptyDirectory();
    const catalog = join(directory, 'missing', 'catalog.db');
    const output = join(directory, 'dbbackup.prom');
    const result = runBuiltCli(['metrics', 'export', '--output', output], {
      env: { DBBACKUP_CATALOG: catalog },
      cwd: directory,
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(catalog);
    expect(result.stderr).toContain('--catalog PATH');
    expect(sampleValue(parseExposition(readFileSync(output, 'utf8')), 'dbbackup_catalog_up')).toBe(0);
  });

  it('serve answers /metrics and /health and exits 0 on SIGTERM', async () => {
    const directory = emptyDirectory();
    const catalog = await catalogWithBackups(directory);
    const child = spawnBuiltCli(['metrics', 'serve', '--port', '0', '--catalog', catalog, '--format', 'json'], {
      cwd: directory,
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
    });
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr?.setEncoding('utf8').on('data', (text: string) => {
        stderr += text;
        const found = /serving (http:\/\/\S+\/)metrics/.exec(stderr)?.[1];
        if (found !== undefined) resolve(found);
      });
      void exited.then((status) => reject(new Error(`metrics serve exited (${status}) before serving: ${stderr}`)));
    });

    const metrics = await fetch(`${url}metrics`);
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(await promtoolCheckMetrics(text)).toBe('');
    expect(sampleValue(parseExposition(text), 'dbbackup_last_backup_size_bytes', SHOP)).toBe(4096);
    const health = await fetch(`${url}health`);
    expect([health.status, await health.text()]).toEqual([200, 'ok\n']);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ url, catalog, stopped_by: 'SIGTERM' });
    expect(stderr).toContain('SIGTERM received, stopping');
  });
});
