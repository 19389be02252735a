import type { SampleSpec } from '@dbbackup/archive';
import { MysqlEngineError } from '../errors.js';

/** A sample request that cannot be honoured (unknown strategy, value out of range). */
export class InvalidSampleError extends MysqlEngineError {}

/** Fraction resolution of the percent strategy: a row is in when its hash mod 1,000,000 is below the threshold. */
export const PERCENT_BUCKETS = 1_000_000;

/** Checks a sample request before any connection is opened. */
export function validateSample(sample: SampleSpec): SampleSpec {
  const { strategy, value } = sample;
  if (strategy === 'percent') {
    if (!Number.isFinite(value) || value <= 0 || value > 100) {
      throw new InvalidSampleError(
        `sample percent must be greater than 0 and at most 100 (got ${value}); e.g. --sample-strategy percent --sample-value 10`,
      );
    }
    return sample;
  }
  if (strategy === 'rows') {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new InvalidSampleError(
        `sample rows must be a whole number of at least 1 (got ${value}); e.g. --sample-strategy rows --sample-value 1000`,
      );
    }
    return sample;
  }
  throw new InvalidSampleError(`unknown sample strategy ${JSON.stringify(strategy)}; use 'percent' or 'rows'`);
}

/** The percent strategy's threshold out of PERCENT_BUCKETS (100% = every row). */
export function percentThreshold(percent: number): number {
  return Math.round((percent / 100) * PERCENT_BUCKETS);
}
