import type { SampleSpec } from '@dbbackup/archive';
import { sampleSpecProblem } from '@dbbackup/engine-kit';
import { PgEngineError } from '../errors.js';

/** A sample request that cannot be honoured (unknown strategy, value out of range). */
export class InvalidSampleError extends PgEngineError {}

/** Checks a sample request before any connection is opened. */
export function validateSample(sample: SampleSpec): SampleSpec {
  const problem = sampleSpecProblem(sample);
  if (problem !== undefined) throw new InvalidSampleError(problem);
  return sample;
}
