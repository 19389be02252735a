import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyRetention } from '../src/apply-retention.js';
import { simulateRetention } from '../src/simulate-retention.js';
import type { RetentionBackup, RetentionPolicy } from '../src/types.js';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const SPAN_MS = 3 * 365 * 86_400_000;

const backupArbitrary = fc.record({
  database: fc.constantFrom<string | null>('shop', 'crm', null),
  // Whole minutes, so equal timestamps (ties) happen now and then.
  time: fc.integer({ min: 0, max: SPAN_MS / 60_000 }).map((minutes) => NOW - minutes * 60_000),
  status: fc.constantFrom<RetentionBackup['status']>('success', 'success', 'success', 'failed', 'incomplete'),
});
const backupsArbitrary = fc
  .array(backupArbitrary, { maxLength: 60 })
  .map((raw) => raw.map((b, index): RetentionBackup => ({ id: `b${index}`, ...b, timestamp: new Date(b.time) })));

const ageArbitrary: fc.Arbitrary<RetentionPolicy> = fc.record({
  kind: fc.constant('age' as const),
  retentionDays: fc.integer({ min: 0, max: 400 }),
  minBackups: fc.integer({ min: 0, max: 10 }),
});
const gfsArbitrary: fc.Arbitrary<RetentionPolicy> = fc.record(
  {
    kind: fc.constant('gfs' as const),
    keepLast: fc.integer({ min: 0, max: 5 }),
    daily: fc.integer({ min: 0, max: 10 }),
    weekly: fc.integer({ min: 0, max: 6 }),
    monthly: fc.integer({ min: 0, max: 13 }),
    yearly: fc.integer({ min: 0, max: 3 }),
    retentionDays: fc.integer({ min: 0, max: 60 }),
  },
  { requiredKeys: ['kind', 'keepLast', 'daily', 'weekly', 'monthly', 'yearly'] },
);
const policyArbitrary = fc.oneof(ageArbitrary, gfsArbitrary);

describe('applyRetention properties', () => {
  it('decides every backup exactly once, with a reason, and keeps the newest successful one per database', () => {
    fc.assert(
      fc.property(backupsArbitrary, policyArbitrary, (backups, policy) => {
        const result = applyRetention(backups, policy, new Date(NOW));
        const decided = [...result.keep, ...result.delete];
        expect(decided).toHaveLength(backups.length);
        expect(new Set(decided.map((d) => d.backup))).toEqual(new Set(backups));
        for (const decision of decided) expect(decision.reasons.length).toBeGreaterThan(0);

        const kept = new Set(result.keep.map((d) => d.backup));
        for (const database of new Set(backups.map((b) => b.database))) {
          const successful = backups.filter((b) => b.database === database && b.status === 'success');
          const newestTime = Math.max(...successful.map((b) => (b.timestamp as Date).getTime()));
          if (successful.length > 0) {
            expect(successful.some((b) => kept.has(b) && (b.timestamp as Date).getTime() === newestTime)).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  // Holds for GFS too: we walk "newest of each of the first N periods" without restic's extra "also keep the oldest
  // while counts are left", so the kept set is a fixed point.
  it('is idempotent: applying the policy again to the kept set keeps all of it', () => {
    fc.assert(
      fc.property(backupsArbitrary, policyArbitrary, (backups, policy) => {
        const now = new Date(NOW);
        const once = applyRetention(backups, policy, now).keep.map((d) => d.backup);
        const twice = applyRetention(once, policy, now);
        expect(twice.delete).toEqual([]);
        expect(twice.keep.map((d) => d.backup)).toEqual(once);
      }),
      { numRuns: 300 },
    );
  });
});

describe('simulateRetention properties', () => {
  it('replaying the schedule ends with exactly what one applyRetention at the final now keeps', () => {
    // Sparse (two years in 10-minute steps) and dense (60 days in hourly steps) schedules.
    const timestampsArbitrary = fc.oneof(
      ...[
        [2 * 365 * 86_400_000, 600_000],
        [60 * 86_400_000, 3_600_000],
      ].map(([span, step]) =>
        fc.array(
          fc.integer({ min: 0, max: span! / step! }).map((steps) => new Date(NOW - steps * step!)),
          { maxLength: 80 },
        ),
      ),
    );
    fc.assert(
      fc.property(timestampsArbitrary, policyArbitrary, fc.boolean(), (timestamps, policy, withNow) => {
        const now = withNow ? new Date(NOW + 86_400_000) : undefined;
        const simulation = simulateRetention(timestamps, policy, { now });
        const finalNow = now ?? new Date(Math.max(NOW - SPAN_MS, ...timestamps.map((t) => t.getTime())));
        const oneShot = applyRetention(
          timestamps.map((timestamp, index) => ({ id: String(index), database: null, timestamp, status: 'success' })),
          policy,
          finalNow,
        );
        const times = (dates: Date[]) => dates.map((d) => d.getTime());
        expect(times(simulation.kept)).toEqual(oneShot.keep.map((d) => (d.backup.timestamp as Date).getTime()));
        expect(simulation.kept.length + simulation.deleted.length).toBe(timestamps.length);
      }),
      { numRuns: 300 },
    );
  });
});
