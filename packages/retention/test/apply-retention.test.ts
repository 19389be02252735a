import { describe, expect, it } from 'vitest';
import { applyRetention } from '../src/apply-retention.js';
import { RetentionInputError, RetentionPolicyError } from '../src/errors.js';
import type { RetentionPolicy } from '../src/types.js';
import { backup, dailyAt, keptTimestamps, reasonsOf } from './helpers.js';

const gfs = (counts: Partial<Extract<RetentionPolicy, { kind: 'gfs' }>>): RetentionPolicy => ({
  kind: 'gfs',
  keepLast: 0,
  daily: 0,
  weekly: 0,
  monthly: 0,
  yearly: 0,
  ...counts,
});
const NOW = new Date('2026-11-23T12:00:00Z');

describe('age policy', () => {
  it('deletes successful backups strictly older than the days, keeps the rest', () => {
    const backups = ['2026-11-23T02:00:00.000Z', '2026-10-24T12:00:00.000Z', '2026-10-24T11:59:59.000Z'].map((t) =>
      backup(t),
    );
    const result = applyRetention(backups, { kind: 'age', retentionDays: 30, minBackups: 1 }, NOW);
    expect(keptTimestamps(result)).toEqual(['2026-11-23T02:00:00.000Z', '2026-10-24T12:00:00.000Z']);
    expect(reasonsOf(result, '2026-10-24T11:59:59.000Z')).toEqual(['older than 30 days']);
    expect(reasonsOf(result, '2026-11-23T02:00:00.000Z')).toEqual([
      'newest backup of shop',
      'one of the newest 1 of shop',
      'not older than 30 days',
    ]);
  });

  it('min-backups protects the newest even when all are old', () => {
    const backups = dailyAt('2025-01-01', '2025-01-10').map((t) => backup(t));
    const result = applyRetention(backups, { kind: 'age', retentionDays: 30, minBackups: 3 }, NOW);
    expect(keptTimestamps(result)).toEqual(dailyAt('2025-01-08', '2025-01-10').reverse());
    expect(reasonsOf(result, dailyAt('2025-01-09', '2025-01-09')[0]!)).toEqual(['one of the newest 3 of shop']);
    expect(result.delete).toHaveLength(7);
  });

  it('retention-days 0 makes every backup old enough, even one taken right now', () => {
    const backups = [backup(NOW.toISOString()), backup('2026-11-23T11:00:00Z'), backup('2026-11-23T10:00:00Z')];
    const result = applyRetention(backups, { kind: 'age', retentionDays: 0, minBackups: 2 }, NOW);
    expect(result.keep.map((d) => d.backup)).toEqual(backups.slice(0, 2));
    expect(result.delete[0]?.reasons).toEqual(['retention is 0 days']);
  });

  it('always keeps the newest successful backup, even with minBackups 0', () => {
    const result = applyRetention(
      [backup('2020-01-01T00:00:00Z')],
      { kind: 'age', retentionDays: 1, minBackups: 0 },
      NOW,
    );
    expect(result.keep[0]?.reasons).toEqual(['newest backup of shop']);
  });

  it('failed backups never count toward min-backups and go once older than the days', () => {
    const backups = [
      backup('2026-11-23T03:00:00Z', { status: 'failed' }),
      backup('2026-11-01T03:00:00Z', { status: 'incomplete' }),
      backup('2026-11-20T03:00:00Z'),
      backup('2026-11-10T03:00:00Z'),
    ];
    const result = applyRetention(backups, { kind: 'age', retentionDays: 7, minBackups: 1 }, NOW);
    expect(keptTimestamps(result)).toEqual(['2026-11-23T03:00:00Z', '2026-11-20T03:00:00Z']);
    expect(reasonsOf(result, '2026-11-23T03:00:00Z')).toEqual(['failed backup younger than 7 days']);
    expect(reasonsOf(result, '2026-11-01T03:00:00Z')).toEqual(['incomplete backup older than 7 days']);
    expect(reasonsOf(result, '2026-11-10T03:00:00Z')).toEqual(['older than 7 days']);
  });
});

describe('gfs policy', () => {
  it('daily keeps only the newest backup of each UTC day', () => {
    const backups = [
      '2026-11-23T10:00:00Z',
      '2026-11-23T08:00:00Z',
      '2026-11-22T23:30:00Z',
      '2026-11-22T00:30:00Z',
    ].map((t) => backup(t));
    const result = applyRetention(backups, gfs({ daily: 7 }), NOW);
    expect(keptTimestamps(result)).toEqual(['2026-11-23T10:00:00Z', '2026-11-22T23:30:00Z']);
    expect(reasonsOf(result, '2026-11-23T10:00:00Z')).toEqual(['newest backup of shop', 'daily 2026-11-23']);
    expect(reasonsOf(result, '2026-11-23T08:00:00Z')).toEqual(['not kept by any GFS rule']);
  });

  it('23:30 UTC and 00:30 UTC the next day are different days', () => {
    const backups = [backup('2026-11-23T00:30:00Z'), backup('2026-11-22T23:30:00Z')];
    const result = applyRetention(backups, gfs({ daily: 2 }), NOW);
    expect(result.keep.map((d) => d.reasons.at(-1))).toEqual(['daily 2026-11-23', 'daily 2026-11-22']);
  });

  it('gaps longer than a period do not use up periods', () => {
    // Backups on 1, 2, 10 and 20 November: daily 3 keeps the newest three days that have a backup.
    const backups = dailyAt('2026-11-01', '2026-11-02')
      .concat(dailyAt('2026-11-10', '2026-11-10'), dailyAt('2026-11-20', '2026-11-20'))
      .map((t) => backup(t));
    const result = applyRetention(backups, gfs({ daily: 3 }), NOW);
    expect(keptTimestamps(result)).toEqual([
      '2026-11-20T02:00:00.000Z',
      '2026-11-10T02:00:00.000Z',
      '2026-11-02T02:00:00.000Z',
    ]);
  });

  it('weekly buckets follow ISO weeks across new year (2020-W53)', () => {
    const backups = [
      '2021-01-05T01:00:00Z',
      '2021-01-03T01:00:00Z',
      '2020-12-31T01:00:00Z',
      '2020-12-27T01:00:00Z',
    ].map((t) => backup(t));
    const result = applyRetention(backups, gfs({ weekly: 3 }), new Date('2021-01-06T00:00:00Z'));
    expect(result.keep.map((d) => [String(d.backup.timestamp), d.reasons.at(-1)])).toEqual([
      ['2021-01-05T01:00:00Z', 'weekly 2021-W01'],
      ['2021-01-03T01:00:00Z', 'weekly 2020-W53'],
      ['2020-12-27T01:00:00Z', 'weekly 2020-W52'],
    ]);
  });

  it('keeps the union of all kinds, with every reason', () => {
    const backups = dailyAt('2025-10-01', '2026-11-23').map((t) => backup(t));
    const result = applyRetention(backups, gfs({ keepLast: 2, daily: 3, weekly: 2, monthly: 3, yearly: 2 }), NOW);
    expect(keptTimestamps(result).map((t) => t.slice(0, 10))).toEqual([
      '2026-11-23',
      '2026-11-22',
      '2026-11-21',
      '2026-10-31',
      '2026-09-30',
      '2025-12-31',
    ]);
    expect(reasonsOf(result, '2026-11-23T02:00:00.000Z')).toEqual([
      'newest backup of shop',
      'last 2',
      'daily 2026-11-23',
      'weekly 2026-W48',
      'monthly 2026-11',
      'yearly 2026',
    ]);
    expect(reasonsOf(result, '2026-11-22T02:00:00.000Z')).toEqual(['last 2', 'daily 2026-11-22', 'weekly 2026-W47']);
    expect(reasonsOf(result, '2025-12-31T02:00:00.000Z')).toEqual(['yearly 2025']);
  });

  it('N = 0 disables a kind; all zero keeps only the newest', () => {
    const backups = dailyAt('2026-11-01', '2026-11-23').map((t) => backup(t));
    expect(keptTimestamps(applyRetention(backups, gfs({ daily: 0, weekly: 2 }), NOW))).toEqual([
      '2026-11-23T02:00:00.000Z',
      '2026-11-22T02:00:00.000Z',
    ]);
    const onlyNewest = applyRetention(backups, gfs({}), NOW);
    expect(onlyNewest.keep.map((d) => d.reasons)).toEqual([['newest backup of shop']]);
  });

  it('failed backups never fill a bucket and go after retentionDays (default right away)', () => {
    const backups = [
      backup('2026-11-23T10:00:00Z', { status: 'failed' }),
      backup('2026-11-23T02:00:00Z'),
      backup('2026-11-22T10:00:00Z', { status: 'incomplete' }),
      backup('2026-11-10T10:00:00Z', { status: 'failed' }),
    ];
    const immediate = applyRetention(backups, gfs({ daily: 5 }), NOW);
    expect(keptTimestamps(immediate)).toEqual(['2026-11-23T02:00:00Z']);
    expect(reasonsOf(immediate, '2026-11-23T10:00:00Z')).toEqual([
      'failed backup removed right away (retention 0 days)',
    ]);

    const week = applyRetention(backups, gfs({ daily: 5, retentionDays: 7 }), NOW);
    expect(keptTimestamps(week)).toEqual(['2026-11-23T10:00:00Z', '2026-11-23T02:00:00Z', '2026-11-22T10:00:00Z']);
    expect(reasonsOf(week, '2026-11-22T10:00:00Z')).toEqual(['incomplete backup younger than 7 days']);
    expect(reasonsOf(week, '2026-11-10T10:00:00Z')).toEqual(['failed backup older than 7 days']);
  });

  it('applies per database, cluster backups (null) being their own group, in order of first appearance', () => {
    const backups = [
      backup('2026-11-20T02:00:00Z', { database: 'crm' }),
      backup('2026-11-23T02:00:00Z', { database: null }),
      backup('2026-11-21T02:00:00Z', { database: 'crm' }),
      backup('2026-11-22T02:00:00Z', { database: null }),
    ];
    const result = applyRetention(backups, gfs({}), NOW);
    expect(result.keep.map((d) => [d.backup.database, d.reasons])).toEqual([
      ['crm', ['newest backup of crm']],
      [null, ['newest cluster backup']],
    ]);
    expect(result.delete.map((d) => String(d.backup.timestamp))).toEqual([
      '2026-11-20T02:00:00Z',
      '2026-11-22T02:00:00Z',
    ]);
  });
});

describe('input checks', () => {
  it.each([
    [{ kind: 'age', retentionDays: -1, minBackups: 1 }, 'retentionDays'],
    [{ kind: 'age', retentionDays: 1, minBackups: 1.5 }, 'minBackups'],
    [{ kind: 'gfs', keepLast: 0, daily: -2, weekly: 0, monthly: 0, yearly: 0 }, 'daily'],
    [
      { kind: 'gfs', keepLast: 0, daily: 0, weekly: 0, monthly: 0, yearly: 0, retentionDays: Number.NaN },
      'retentionDays',
    ],
    [{ kind: 'forever' }, 'kind'],
  ])('rejects %j', (policy, field) => {
    expect(() => applyRetention([], policy as RetentionPolicy, NOW)).toThrow(
      expect.objectContaining({ name: 'RetentionPolicyError', field }),
    );
    expect(() => applyRetention([], policy as RetentionPolicy, NOW)).toThrow(RetentionPolicyError);
  });

  it('rejects an unparsable timestamp and an invalid now', () => {
    expect(() => applyRetention([backup('yesterday')], gfs({}), NOW)).toThrow(RetentionInputError);
    expect(() => applyRetention([], gfs({}), new Date('nope'))).toThrow(RetentionInputError);
  });
});
