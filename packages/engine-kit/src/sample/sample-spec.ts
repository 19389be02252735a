import type { SampleSpec } from '@dbbackup/archive';

/** Fraction resolution of the percent strategy: a row is in when its hash mod 1,000,000 is below the threshold. */
export const PERCENT_BUCKETS = 1_000_000;

/**
 * What is wrong with a sample request (unknown strategy, value out of range), or undefined when it is valid.
 * Returns a message rather than throwing so each engine wraps it in its own error class (InvalidSampleError
 * extends the engine's base error, which callers match with instanceof).
 */
export function sampleSpecProblem(sample: SampleSpec): string | undefined {
  const { strategy, value } = sample;
  if (strategy === 'percent') {
    if (!Number.isFinite(value) || value <= 0 || value > 100) {
      return `sample percent must be greater than 0 and at most 100 (got ${value}); e.g. --sample-strategy percent --sample-value 10`;
    }
    return undefined;
  }
  if (strategy === 'rows') {
    if (!Number.isSafeInteger(value) || value < 1) {
      return `sample rows must be a whole number of at least 1 (got ${value}); e.g. --sample-strategy rows --sample-value 1000`;
    }
    return undefined;
  }
  return `unknown sample strategy ${JSON.stringify(strategy)}; use 'percent' or 'rows'`;
}

/** The percent strategy's threshold out of PERCENT_BUCKETS (100% = every row). */
export function percentThreshold(percent: number): number {
  return Math.round((percent / 100) * PERCENT_BUCKETS);
}
