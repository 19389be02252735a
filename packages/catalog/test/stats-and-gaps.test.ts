import { describe, expect, it } from 'vitest';
import { InvalidDurationError, parseDuration, statsOfRecords } from '../src/index.js';
import { recordBackup, tempCatalog } from './support/temp-catalog.js';

const HOUR = 3_600_000;

describe('stats', () => {
  it('counts, success rate and bytes of successful backups, per database and per engine', async () => {
    const catalog = await tempCatalog();
    expect(await catalog.stats()).toEqual({
      backups: 0,
      successful: 0,
      failed: 0,
      running: 0,
      successRate: null,
      totalBytes: 0,
      oldest: null,
      newest: null,
      perDatabase: [],
      perEngine: [],
    });
    await recordBackup(catalog, { database: 'shop', startedAt: '2026-11-01T00:00:00Z', bytes: 100 });
    await recordBackup(catalog, { database: 'shop', startedAt: '2026-11-02T00:00:00Z', bytes: 200 });
    await recordBackup(catalog, { database: 'shop', startedAt: '2026-11-03T00:00:00Z', failed: true });
    await recordBackup(catalog, { database: 'crm', engine: 'mariadb', startedAt: '2026-11-04T00:00:00Z', bytes: 50 });
    await recordBackup(catalog, { database: null, kind: 'cluster', startedAt: '2026-11-05T00:00:00Z', bytes: 1000 });
    await catalog.beginBackup({
      database: 'crm',
      engine: 'mariadb',
      host: null,
      kind: 'single',
      format: 'archive',
      location: '/backups/running.dbb.tar',
      startedAt: '2026-11-06T00:00:00Z',
      encrypted: false,
      compression: 'zstd:3',
    });

    const stats = await catalog.stats();
    expect(stats).toEqual({
      backups: 6,
      successful: 4,
      failed: 1,
      running: 1,
      successRate: 0.8,
      totalBytes: 1350,
      oldest: '2026-11-01T00:00:00.000Z',
      newest: '2026-11-06T00:00:00.000Z',
      perDatabase: [
        {
          database: null,
          engine: 'postgresql',
          backups: 1,
          successful: 1,
          bytes: 1000,
          lastSuccessAt: '2026-11-05T00:00:00.000Z',
        },
        {
          database: 'crm',
          engine: 'mariadb',
          backups: 2,
          successful: 1,
          bytes: 50,
          lastSuccessAt: '2026-11-04T00:00:00.000Z',
        },
        {
          database: 'shop',
          engine: 'postgresql',
          backups: 3,
          successful: 2,
          bytes: 300,
          lastSuccessAt: '2026-11-02T00:00:00.000Z',
        },
      ],
      perEngine: [
        { engine: 'mariadb', backups: 2, successful: 1, bytes: 50 },
        { engine: 'postgresql', backups: 4, successful: 3, bytes: 1300 },
      ],
    });
    // The export's summary computes the same figures from the records.
    expect(statsOfRecords(await catalog.listBackups())).toEqual(stats);
  });
});

describe('gaps', () => {
  it('finds successes too far apart, the time since the last one, and databases that never succeeded', async () => {
    const catalog = await tempCatalog();
    const at = (hours: number) => new Date(Date.UTC(2026, 10, 1) + hours * HOUR).toISOString();
    // shop: daily, but one day skipped (24h → 48h gap) and a failure in between that does not count.
    for (const hours of [0, 24, 72, 96]) await recordBackup(catalog, { database: 'shop', startedAt: at(hours) });
    await recordBackup(catalog, { database: 'shop', startedAt: at(48), failed: true });
    // crm: fine until 100h, then nothing.
    for (const hours of [80, 100])
      await recordBackup(catalog, { database: 'crm', engine: 'mariadb', startedAt: at(hours) });
    // legacy: only failures.
    await recordBackup(catalog, { database: 'legacy', startedAt: at(10), failed: true });
    await recordBackup(catalog, { database: 'legacy', startedAt: at(110), failed: true });

    const now = new Date(at(120));
    expect(await catalog.gaps({ intervalMs: 26 * HOUR, now })).toEqual([
      {
        database: 'legacy',
        engine: 'postgresql',
        from: at(10),
        to: null,
        gapMs: 110 * HOUR,
        reason: 'never-succeeded',
      },
      {
        database: 'shop',
        engine: 'postgresql',
        from: at(24),
        to: at(72),
        gapMs: 48 * HOUR,
        reason: 'between-successes',
      },
    ]);
    // A shorter interval: crm's 20 hours between its successes and since its last one are both gaps.
    const hourly = await catalog.gaps({ intervalMs: 19 * HOUR, now, database: 'crm' });
    expect(hourly).toEqual([
      { database: 'crm', engine: 'mariadb', from: at(80), to: at(100), gapMs: 20 * HOUR, reason: 'between-successes' },
      { database: 'crm', engine: 'mariadb', from: at(100), to: null, gapMs: 20 * HOUR, reason: 'since-last-success' },
    ]);
    expect(await catalog.gaps({ intervalMs: 48 * HOUR, now, database: 'shop' })).toEqual([]);
  });
});

describe('parseDuration', () => {
  it('reads units, combinations and decimals', () => {
    expect(parseDuration('26h')).toBe(26 * HOUR);
    expect(parseDuration('90m')).toBe(90 * 60_000);
    expect(parseDuration('7d')).toBe(7 * 24 * HOUR);
    expect(parseDuration('1d12h')).toBe(36 * HOUR);
    expect(parseDuration('45s')).toBe(45_000);
    expect(parseDuration('1m30s')).toBe(90_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration(' 1.5H ')).toBe(1.5 * HOUR);
    expect(parseDuration('2w')).toBe(14 * 24 * HOUR);
  });

  it('rejects everything else with one actionable message', () => {
    for (const text of ['', '26', 'h', '1 day', '-1h', '0h', '1h-', '1y', 'soon']) {
      expect(() => parseDuration(text)).toThrow(InvalidDurationError);
    }
    expect(() => parseDuration('1 day')).toThrow(
      "invalid duration '1 day': expected a number and a unit, e.g. 90m, 26h, 7d or 1d12h (units: ms, s, m, h, d, w)",
    );
  });
});

describe('sample backups', () => {
  it('neither make a database fresh in databaseStatus nor close a gap', async () => {
    const catalog = await tempCatalog();
    await recordBackup(catalog, { database: 'shop', startedAt: '2026-11-01T00:00:00Z', bytes: 100 });
    await recordBackup(catalog, { database: 'shop', kind: 'sample', startedAt: '2026-11-03T00:00:00Z', bytes: 10 });
    await recordBackup(catalog, { database: 'dev', kind: 'sample', startedAt: '2026-11-03T00:00:00Z', bytes: 10 });

    const status = await catalog.databaseStatus();
    expect(status.map((entry) => [entry.database, entry.lastSuccess?.startedAt])).toEqual([
      ['shop', '2026-11-01T00:00:00.000Z'],
    ]);
    const gaps = await catalog.gaps({ intervalMs: 24 * HOUR, now: new Date('2026-11-04T00:00:00Z') });
    expect(gaps).toEqual([
      expect.objectContaining({ database: 'shop', from: '2026-11-01T00:00:00.000Z', to: null, gapMs: 72 * HOUR }),
    ]);
  });
});
