import { describe, expect, it } from 'vitest';
import { collectDedupMetrics, unavailableCatalogMetrics } from '../src/index.js';
import { renderMetrics } from '../src/render-metrics.js';
import { findSamples, parseExposition, promtoolCheckMetrics } from '../src/testing/index.js';

const BUILD = { version: '1.2.3', commit: 'abc1234' };

describe('collectDedupMetrics', () => {
  it('gives each database its newest snapshot per store, marks an unreadable store 0, and passes promtool', async () => {
    const snapshot = unavailableCatalogMetrics(BUILD, 'no catalog in this test');
    const problems = await collectDedupMetrics(snapshot, [
      {
        location: '/srv/dedup',
        listSnapshots: async () => [
          {
            created: '2026-11-22T02:00:00Z',
            database: 'shop',
            engine: 'postgresql',
            source: 'postgresql://db1:5432/shop',
          },
          {
            created: '2026-11-23T02:00:00Z',
            database: 'shop',
            engine: 'postgresql',
            source: 'postgresql://db1:5432/shop',
          },
          { created: '2026-11-23T03:00:00Z', database: 'crm "x"', engine: 'mariadb', source: 'mariadb://db2:3306/crm' },
          { created: '2026-11-20T00:00:00Z', database: null, engine: null, source: '/var/dumps/all.sql' },
        ],
      },
      {
        location: 's3://bucket/dedup',
        listSnapshots: async () => {
          throw new Error('the store is locked\nby host-b');
        },
      },
    ]);
    expect(problems).toEqual(['cannot read the dedup store s3://bucket/dedup: the store is locked by host-b']);
    const { text } = await renderMetrics(snapshot);
    const samples = parseExposition(text);
    const last = findSamples(samples, 'dbbackup_dedup_database_last_backup_timestamp');
    expect(last.map((sample) => [sample.labels, sample.value])).toEqual(
      expect.arrayContaining([
        [
          { server: 'db1', database: 'shop', engine: 'postgresql', store: '/srv/dedup' },
          Date.parse('2026-11-23T02:00:00Z') / 1000,
        ],
        [
          { server: 'db2', database: 'crm "x"', engine: 'mariadb', store: '/srv/dedup' },
          Date.parse('2026-11-23T03:00:00Z') / 1000,
        ],
        [
          { server: 'unknown', database: '_all', engine: 'none', store: '/srv/dedup' },
          Date.parse('2026-11-20T00:00:00Z') / 1000,
        ],
      ]),
    );
    expect(last).toHaveLength(3);
    const up = findSamples(samples, 'dbbackup_dedup_store_up').map((sample) => [sample.labels.store, sample.value]);
    expect(up).toEqual([
      ['/srv/dedup', 1],
      ['s3://bucket/dedup', 0],
    ]);
    expect(await promtoolCheckMetrics(text)).toBe('');
  });
});
