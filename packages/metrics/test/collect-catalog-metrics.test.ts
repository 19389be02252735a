import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Catalog } from '@dbbackup/catalog';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  ALL_DATABASES_LABEL,
  collectCatalogFileMetrics,
  collectCatalogMetrics,
  METRICS,
  renderMetrics,
  UNKNOWN_SERVER_LABEL,
  unavailableCatalogMetrics,
} from '../src/index.js';
import { findSamples, parseExposition, promtoolCheckMetrics, sampleValue } from '../src/testing/index.js';
import { recordBackup, recordRestore, tempDirectory } from './support/temp-catalog.js';

const BUILD = { version: '1.2.3', commit: 'abc1234' };
const NOW = new Date('2026-11-24T00:00:00Z');
const seconds = (iso: string) => Date.parse(iso) / 1000;

/** A catalog file with a bit of everything: see the comments for what each series should show. */
async function filledCatalogFile(): Promise<string> {
  const path = join(await tempDirectory(), 'catalog.db');
  const catalog = await Catalog.open(path);
  try {
    // shop: two successes (the later one verified), then a failure, and one still running.
    await recordBackup(catalog, { startedAt: '2026-11-20T02:00:00Z', bytes: 1000 });
    await recordBackup(catalog, {
      startedAt: '2026-11-21T02:00:00Z',
      durationMs: 90_000,
      bytes: 2048,
      verification: 'passed',
    });
    await recordBackup(catalog, { startedAt: '2026-11-21T03:00:00Z', durationMs: 30_000, outcome: 'failed' });
    await recordBackup(catalog, { startedAt: '2026-11-22T01:00:00Z', outcome: 'running' });
    // orders on MySQL, host unknown: never succeeded.
    for (const startedAt of ['2026-11-21T02:00:00Z', '2026-11-22T02:00:00Z']) {
      await recordBackup(catalog, { database: 'orders', engine: 'mysql', host: null, startedAt, outcome: 'failed' });
    }
    // A cluster backup (database null), never verified.
    await recordBackup(catalog, {
      database: null,
      kind: 'cluster',
      startedAt: '2026-11-21T00:00:00Z',
      durationMs: 600_000,
      bytes: 10_000,
    });
    // A sample of shop: a series of its own.
    await recordBackup(catalog, { kind: 'sample', startedAt: '2026-11-23T00:00:00Z', bytes: 50 });
    // MariaDB, whose latest verification failed.
    await recordBackup(catalog, {
      database: 'billing',
      engine: 'mariadb',
      host: 'db2',
      startedAt: '2026-11-23T05:00:00Z',
      verification: 'failed',
    });
    // Restores into shop: two successes, a failure, one running.
    await recordRestore(catalog, {
      database: 'shop',
      startedAt: '2026-11-22T10:00:00Z',
      durationMs: 120_000,
      outcome: 'success',
    });
    await recordRestore(catalog, {
      database: 'shop',
      startedAt: '2026-11-23T10:00:00Z',
      durationMs: 300_000,
      outcome: 'success',
    });
    await recordRestore(catalog, {
      database: 'shop',
      startedAt: '2026-11-23T12:00:00Z',
      durationMs: 10_000,
      outcome: 'failed',
    });
    await recordRestore(catalog, {
      database: 'shop',
      startedAt: '2026-11-23T13:00:00Z',
      durationMs: 0,
      outcome: 'running',
    });
  } finally {
    await catalog.close();
  }
  return path;
}

async function readOnly(path: string): Promise<Catalog> {
  const catalog = await Catalog.openReadOnly(path);
  onTestFinished(() => catalog.close());
  return catalog;
}

describe('collectCatalogMetrics', () => {
  it('exposes every metric with HELP and TYPE, and the text passes promtool check metrics', async () => {
    const snapshot = await collectCatalogMetrics(await readOnly(await filledCatalogFile()), { ...BUILD, now: NOW });
    const rendered = await renderMetrics(snapshot);
    expect(rendered.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    // The dedup metrics come from dedup stores (collectDedupMetrics), not from the catalog.
    for (const definition of Object.values(METRICS).filter((metric) => !metric.name.startsWith('dbbackup_dedup_'))) {
      expect(rendered.text).toContain(`# HELP ${definition.name} `);
      expect(rendered.text).toContain(`# TYPE ${definition.name} ${definition.type}\n`);
      expect(findSamples(parseExposition(rendered.text), definition.name).length).toBeGreaterThan(0);
    }
    // prom-client's default process metrics are not there (their *_total gauges fail promtool).
    expect(rendered.text).not.toContain('process_');
    expect(rendered.text).not.toContain('nodejs_');
    expect(rendered.samples).toBe(parseExposition(rendered.text).length);
    expect(await promtoolCheckMetrics(rendered.text)).toBe('');
  });

  it('gives the values and labels of each series', async () => {
    const snapshot = await collectCatalogMetrics(await readOnly(await filledCatalogFile()), { ...BUILD, now: NOW });
    expect(snapshot.catalogUp).toBe(true);
    const samples = parseExposition((await renderMetrics(snapshot)).text);
    const value = (name: string, labels: Record<string, string> = {}) => sampleValue(samples, name, labels);

    expect(value('dbbackup_build_info', { version: '1.2.3', commit: 'abc1234' })).toBe(1);
    expect(value('dbbackup_catalog_up')).toBe(1);

    const shop = { server: 'db1', database: 'shop', engine: 'postgresql', backup_type: 'single' };
    expect(value('dbbackup_backup_total', { ...shop, status: 'success' })).toBe(2);
    expect(value('dbbackup_backup_total', { ...shop, status: 'failed' })).toBe(1);
    expect(findSamples(samples, 'dbbackup_backup_total', { ...shop, status: 'running' })).toEqual([]);
    expect(value('dbbackup_backup_running', shop)).toBe(1);
    expect(value('dbbackup_backup_by_type', shop)).toBe(4);
    expect(value('dbbackup_last_success_timestamp', shop)).toBe(seconds('2026-11-21T02:01:30Z'));
    expect(value('dbbackup_last_backup_duration_seconds', shop)).toBe(90);
    expect(value('dbbackup_last_backup_size_bytes', shop)).toBe(2048);
    expect(value('dbbackup_rpo_seconds', shop)).toBe(seconds(NOW.toISOString()) - seconds('2026-11-21T02:01:30Z'));
    expect(value('dbbackup_backup_verified', shop)).toBe(1);
    expect(value('dbbackup_last_failure_timestamp', shop)).toBe(seconds('2026-11-21T03:00:30Z'));

    // Never succeeded: counted as failures, success 0, and no timestamp, RPO, size or verification at all.
    const orders = { server: UNKNOWN_SERVER_LABEL, database: 'orders', engine: 'mysql', backup_type: 'single' };
    expect(value('dbbackup_backup_total', { ...orders, status: 'success' })).toBe(0);
    expect(value('dbbackup_backup_total', { ...orders, status: 'failed' })).toBe(2);
    expect(value('dbbackup_backup_by_type', orders)).toBe(2);
    for (const name of ['dbbackup_last_success_timestamp', 'dbbackup_rpo_seconds', 'dbbackup_backup_verified']) {
      expect(findSamples(samples, name, { database: 'orders' })).toEqual([]);
    }

    const cluster = { server: 'db1', database: ALL_DATABASES_LABEL, engine: 'postgresql', backup_type: 'cluster' };
    expect(value('dbbackup_last_backup_size_bytes', cluster)).toBe(10_000);
    expect(value('dbbackup_last_backup_duration_seconds', cluster)).toBe(600);
    expect(value('dbbackup_backup_verified', cluster)).toBe(0);

    const sample = { ...shop, backup_type: 'sample' };
    expect(value('dbbackup_backup_by_type', sample)).toBe(1);
    expect(value('dbbackup_rpo_seconds', sample)).toBe(seconds(NOW.toISOString()) - seconds('2026-11-23T00:01:00Z'));

    const billing = { server: 'db2', database: 'billing', engine: 'mariadb', backup_type: 'single' };
    expect(value('dbbackup_backup_verified', billing)).toBe(0);

    const shopRestores = { server: 'db1', database: 'shop', engine: 'postgresql' };
    expect(value('dbbackup_restore_total', { ...shopRestores, status: 'success' })).toBe(2);
    expect(value('dbbackup_restore_total', { ...shopRestores, status: 'failed' })).toBe(1);
    expect(value('dbbackup_restore_duration_seconds', shopRestores)).toBe(300);
    expect(value('dbbackup_last_restore_success_timestamp', shopRestores)).toBe(seconds('2026-11-23T10:05:00Z'));
  });

  it('passes odd database and host names through prom-client escaping unchanged', async () => {
    const path = join(await tempDirectory(), 'catalog.db');
    const names = ['say "cheese"', 'back\\slash', 'two\nlines', 'ünïcødé 数据库 🐘', 'trailing\\', '{braces}=,'];
    const catalog = await Catalog.open(path);
    for (const [index, name] of names.entries()) {
      await recordBackup(catalog, { database: name, host: `host "${index}"\\`, verification: 'passed' });
    }
    await recordRestore(catalog, {
      database: 'a"b\\c\nd',
      startedAt: '2026-11-23T10:00:00Z',
      durationMs: 1000,
      outcome: 'success',
    });
    await catalog.close();

    const rendered = await renderMetrics(await collectCatalogMetrics(await readOnly(path), { ...BUILD, now: NOW }));
    expect(await promtoolCheckMetrics(rendered.text)).toBe('');
    const samples = parseExposition(rendered.text);
    for (const [index, name] of names.entries()) {
      expect(sampleValue(samples, 'dbbackup_backup_verified', { database: name, server: `host "${index}"\\` })).toBe(1);
    }
    expect(sampleValue(samples, 'dbbackup_restore_duration_seconds', { database: 'a"b\\c\nd' })).toBe(1);
    // Every sample is one line: a newline in a name never splits one.
    expect(rendered.text.split('\n').filter((line) => line.startsWith('dbbackup_backup_verified'))).toHaveLength(
      names.length,
    );
  });

  it('an empty catalog gives build info and catalog_up 1, promtool-clean', async () => {
    const path = join(await tempDirectory(), 'catalog.db');
    await (await Catalog.open(path)).close();
    const rendered = await renderMetrics(await collectCatalogMetrics(await readOnly(path), BUILD));
    const samples = parseExposition(rendered.text);
    expect(samples.map((sample) => sample.name).sort()).toEqual(['dbbackup_build_info', 'dbbackup_catalog_up']);
    expect(sampleValue(samples, 'dbbackup_catalog_up')).toBe(1);
    expect(await promtoolCheckMetrics(rendered.text)).toBe('');
  });
});

describe('collectCatalogFileMetrics', () => {
  it('reads a catalog file read-only and closes it', async () => {
    const path = await filledCatalogFile();
    const snapshot = await collectCatalogFileMetrics(path, { ...BUILD, now: NOW });
    expect(snapshot).toMatchObject({ catalogUp: true, catalogProblem: null });
    const samples = parseExposition((await renderMetrics(snapshot)).text);
    expect(sampleValue(samples, 'dbbackup_backup_by_type', { database: 'shop', backup_type: 'single' })).toBe(4);
  });

  it('an unreadable catalog gives build info and catalog_up 0 with the reason, promtool-clean', async () => {
    const path = join(await tempDirectory(), 'missing', 'catalog.db');
    const snapshot = await collectCatalogFileMetrics(path, BUILD);
    expect(snapshot.catalogUp).toBe(false);
    expect(snapshot.catalogProblem).toContain(path);
    expect(snapshot.catalogProblem).toContain('--catalog PATH');
    const rendered = await renderMetrics(snapshot);
    const samples = parseExposition(rendered.text);
    expect(samples).toEqual([
      { name: 'dbbackup_build_info', labels: { version: '1.2.3', commit: 'abc1234' }, value: 1 },
      { name: 'dbbackup_catalog_up', labels: {}, value: 0 },
    ]);
    expect(await promtoolCheckMetrics(rendered.text)).toBe('');
    expect((await renderMetrics(unavailableCatalogMetrics(BUILD, 'x'))).text).toBe(rendered.text);
  });
});

describe('README', () => {
  it('documents every metric', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    for (const definition of Object.values(METRICS))
      expect(readme).toContain(`| \`${definition.name}\` | ${definition.type} |`);
  });
});
