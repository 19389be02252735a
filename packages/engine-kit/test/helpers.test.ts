import type { EngineProgress } from '@dbbackup/archive';
import { describe, expect, it } from 'vitest';
import { progressWithOffsets } from '../src/cluster/cluster-progress.js';
import { compileTablePatterns } from '../src/restore/critical-tables.js';
import { PERCENT_BUCKETS, percentThreshold, sampleSpecProblem } from '../src/sample/sample-spec.js';
import { ProgressReporter } from '../src/util/progress-reporter.js';

describe('critical table patterns', () => {
  it('matches table names and schema-qualified names, comma-separated, case-sensitively', () => {
    const match = compileTablePatterns(['user*, billing.pay?ent', '']);
    expect(match({ schema: 'public', name: 'users' })).toBe(true);
    expect(match({ schema: 'billing', name: 'payment' })).toBe(true);
    expect(match({ schema: 'public', name: 'payment' })).toBe(false);
    expect(match({ schema: 'public', name: 'superusers' })).toBe(false);
    expect(match({ schema: 'public', name: 'Users' })).toBe(false);
    expect(compileTablePatterns(['a.b'])({ schema: 'x', name: 'aXb' })).toBe(false);
  });
});

describe('sample specs', () => {
  it('accepts valid requests and explains invalid ones', () => {
    expect(sampleSpecProblem({ strategy: 'percent', value: 100 })).toBeUndefined();
    expect(sampleSpecProblem({ strategy: 'rows', value: 1 })).toBeUndefined();
    expect(sampleSpecProblem({ strategy: 'percent', value: 0 })).toMatch(/greater than 0/);
    expect(sampleSpecProblem({ strategy: 'rows', value: 1.5 })).toMatch(/whole number/);
    expect(sampleSpecProblem({ strategy: 'everything' as 'rows', value: 1 })).toMatch(/unknown sample strategy/);
  });

  it('converts percent to a bucket threshold', () => {
    expect(percentThreshold(100)).toBe(PERCENT_BUCKETS);
    expect(percentThreshold(12.5)).toBe(125_000);
  });
});

describe('progress', () => {
  it('reports phase changes and flushes with the accumulated counters', () => {
    const reports: EngineProgress[] = [];
    const reporter = new ProgressReporter((progress) => reports.push(progress));
    reporter.phase('data', { tablesTotal: 3, bytesTotal: 1000 });
    reporter.add(5, 100);
    reporter.tableDone();
    reporter.flush();
    expect(reports[0]).toMatchObject({ phase: 'data', tablesTotal: 3, bytesTotal: 1000, rows: 0 });
    expect(reports.at(-1)).toMatchObject({ phase: 'data', tablesDone: 1, rows: 5, bytes: 100 });
  });

  it('shifts one database’s progress by what earlier databases did and swallows its done', () => {
    const reports: EngineProgress[] = [];
    const shifted = progressWithOffsets((progress) => reports.push(progress), { tablesDone: 2, rows: 10, bytes: 50 });
    shifted?.({ phase: 'data', tablesDone: 1, tablesTotal: 4, rows: 3, bytes: 7, bytesTotal: 70 });
    shifted?.({ phase: 'done', tablesDone: 4, tablesTotal: 4, rows: 9, bytes: 70, bytesTotal: 70 });
    expect(reports).toEqual([{ phase: 'data', tablesDone: 3, tablesTotal: 6, rows: 13, bytes: 57, bytesTotal: 120 }]);
    expect(progressWithOffsets(undefined, { tablesDone: 0, rows: 0, bytes: 0 })).toBeUndefined();
  });
});
