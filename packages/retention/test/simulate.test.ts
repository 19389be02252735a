import { describe, expect, it } from 'vitest';
import { describePolicy } from '../src/describe-policy.js';
import { BackupTimestampParseError, RetentionInputError, RetentionPolicyError } from '../src/errors.js';
import { parseBackupTimestamps } from '../src/parse-backup-timestamps.js';
import { simulateRetention } from '../src/simulate-retention.js';
import { simulateSchedule } from '../src/simulate-schedule.js';

const END = new Date('2026-11-23T02:00:00Z');
const HOUR = 3_600_000;

describe('simulateSchedule', () => {
  it('gives every interval from end back over the days, oldest first', () => {
    const times = simulateSchedule({ days: 1, intervalMs: HOUR, end: END });
    expect(times).toHaveLength(24);
    expect(times.at(-1)).toEqual(END);
    expect(times[0]).toEqual(new Date(END.getTime() - 23 * HOUR));
    expect(simulateSchedule({ days: 0, intervalMs: HOUR, end: END })).toEqual([]);
  });

  it('rejects a non-positive interval and negative days', () => {
    expect(() => simulateSchedule({ days: 1, intervalMs: 0 })).toThrow(RetentionInputError);
    expect(() => simulateSchedule({ days: -1, intervalMs: HOUR })).toThrow(RetentionInputError);
  });
});

describe('parseBackupTimestamps', () => {
  it('reads one instant per line, skipping blanks and comments', () => {
    const text = '# nightly\n2026-11-23T02:00:00Z\n\n  2026-11-22T03:00:00+01:00  \r\n2026-11-21\n';
    expect(parseBackupTimestamps(text)).toEqual([
      new Date('2026-11-23T02:00:00Z'),
      new Date('2026-11-22T02:00:00Z'),
      new Date('2026-11-21T00:00:00Z'),
    ]);
  });

  it.each([
    ['2026-11-23T02:00:00Z\nnot a date\n', 2],
    ['\n\n2026-11-23T02:00:00\n', 3],
    ['2026-13-45T02:00:00Z', 1],
  ])('names the bad line of %j', (text, lineNumber) => {
    expect(() => parseBackupTimestamps(text)).toThrow(BackupTimestampParseError);
    expect(() => parseBackupTimestamps(text)).toThrow(expect.objectContaining({ lineNumber }));
  });
});

describe('simulateRetention', () => {
  it('replays a year of nightly backups under GFS', () => {
    const timestamps = simulateSchedule({ days: 365, intervalMs: 24 * HOUR, end: END });
    const policy = { kind: 'gfs', keepLast: 0, daily: 7, weekly: 4, monthly: 12, yearly: 0 } as const;
    const simulation = simulateRetention(timestamps, policy, { backupBytes: 1000 });
    expect(simulation.kept.length + simulation.deleted.length).toBe(365);
    expect(simulation.kept[0]).toEqual(END);
    expect(simulation.oldestRestorable).toEqual(simulation.kept.at(-1));
    expect(simulation.storageOverTime).toHaveLength(365);
    const last = simulation.storageOverTime.at(-1)!;
    expect(last).toEqual({ at: END, backups: simulation.kept.length, bytes: simulation.kept.length * 1000 });
    // 7 days + 4 weeks + 12 months overlap to at most 23 backups.
    expect(Math.max(...simulation.storageOverTime.map((p) => p.backups))).toBeLessThanOrEqual(23);
  });

  it('runs a last time at now, with an age policy', () => {
    const timestamps = simulateSchedule({ days: 10, intervalMs: 24 * HOUR, end: END });
    const later = new Date(END.getTime() + 30 * 24 * HOUR);
    const simulation = simulateRetention(timestamps, { kind: 'age', retentionDays: 7, minBackups: 2 }, { now: later });
    expect(simulation.kept).toEqual([END, new Date(END.getTime() - 24 * HOUR)]);
    expect(simulation.storageOverTime.at(-1)).toEqual({ at: later, backups: 2, bytes: 2 });
    expect(() =>
      simulateRetention(timestamps, { kind: 'age', retentionDays: 7, minBackups: 2 }, { now: new Date(0) }),
    ).toThrow(RetentionInputError);
  });

  it('returns nothing for an empty schedule', () => {
    expect(simulateRetention([], { kind: 'age', retentionDays: 7, minBackups: 1 })).toEqual({
      kept: [],
      deleted: [],
      oldestRestorable: null,
      storageOverTime: [],
    });
  });
});

describe('describePolicy', () => {
  it.each([
    [
      { kind: 'age', retentionDays: 30, minBackups: 3 },
      'per database: keep successful backups for 30 days, but always the newest 3; failed and incomplete backups are deleted after 30 days',
    ],
    [
      { kind: 'age', retentionDays: 0, minBackups: 0 },
      'per database: delete every successful backup, but always the newest one; failed and incomplete backups are deleted right away',
    ],
    [
      { kind: 'gfs', keepLast: 2, daily: 7, weekly: 4, monthly: 12, yearly: 0, retentionDays: 1 },
      'per database: keep the newest backup, the last 2, 7 daily, 4 weekly and 12 monthly (newest of each UTC day, ISO week, month, year); failed and incomplete backups are deleted after 1 day',
    ],
    [
      { kind: 'gfs', keepLast: 0, daily: 0, weekly: 0, monthly: 0, yearly: 0 },
      'per database: keeps only the newest backup (every GFS count is 0); failed and incomplete backups are deleted right away',
    ],
  ] as const)('%j', (policy, text) => {
    expect(describePolicy(policy)).toBe(text);
  });

  it('rejects an invalid policy', () => {
    expect(() => describePolicy({ kind: 'age', retentionDays: 1, minBackups: -1 })).toThrow(RetentionPolicyError);
  });
});
