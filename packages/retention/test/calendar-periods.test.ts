import { describe, expect, it } from 'vitest';
import { isoWeekKey, utcDayKey, utcMonthKey, utcYearKey } from '../src/calendar-periods.js';

describe('isoWeekKey', () => {
  it.each([
    ['2020-12-31T12:00:00Z', '2020-W53'],
    ['2021-01-03T23:59:59Z', '2020-W53'],
    ['2021-01-04T00:00:00Z', '2021-W01'],
    ['2026-01-01T00:00:00Z', '2026-W01'],
    ['2025-12-29T00:00:00Z', '2026-W01'],
    ['2024-12-30T10:00:00Z', '2025-W01'],
    ['2027-01-01T00:00:00Z', '2026-W53'],
    ['2016-01-03T00:00:00Z', '2015-W53'],
    ['2026-11-23T00:00:00Z', '2026-W48'],
    ['2026-11-22T23:59:59Z', '2026-W47'],
  ])('%s is %s', (timestamp, week) => {
    expect(isoWeekKey(Date.parse(timestamp))).toBe(week);
  });

  it('uses UTC, not the local zone, for an offset timestamp', () => {
    // 2021-01-04T00:30+01:00 is still Sunday 2021-01-03 in UTC.
    expect(isoWeekKey(Date.parse('2021-01-04T00:30:00+01:00'))).toBe('2020-W53');
  });
});

describe('day, month and year keys', () => {
  it.each([
    ['2026-11-23T23:30:00Z', '2026-11-23', '2026-11', '2026'],
    ['2026-11-24T00:30:00Z', '2026-11-24', '2026-11', '2026'],
    ['2026-12-31T23:59:59Z', '2026-12-31', '2026-12', '2026'],
    ['2027-01-01T01:00:00+02:00', '2026-12-31', '2026-12', '2026'],
  ])('%s', (timestamp, day, month, year) => {
    const time = Date.parse(timestamp);
    expect([utcDayKey(time), utcMonthKey(time), utcYearKey(time)]).toEqual([day, month, year]);
  });
});
