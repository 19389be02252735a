import { describe, expect, it } from 'vitest';
import { InvalidRateError } from '../src/errors.js';
import { createThrottle, TokenBucketThrottle } from '../src/throttle.js';
import { randomData, runThrough } from './support.js';

describe('createThrottle', () => {
  it('600 KB through 1 MB/s takes about half a second (wide tolerance) and keeps every byte', async () => {
    const data = randomData(600_000);
    const started = performance.now();
    const out = await runThrough(data, [200_000, 1, 65_536], createThrottle(1_000_000));
    const elapsedSeconds = (performance.now() - started) / 1000;
    expect(out.equals(data)).toBe(true);
    // 100 KB burst, then 500 KB at 1 MB/s ≈ 0.5 s. Machines are noisy, so only a wide window.
    expect(elapsedSeconds).toBeGreaterThan(0.35);
    expect(elapsedSeconds).toBeLessThan(1.5);
  });

  it('splits large chunks into burst-sized pieces', async () => {
    const throttle = new TokenBucketThrottle(10_000_000);
    expect(throttle.burstBytes).toBe(1_000_000);
    const sizes: number[] = [];
    throttle.on('data', (chunk: Buffer) => sizes.push(chunk.length));
    await runThrough(randomData(2_500_000), [2_500_000], throttle);
    expect(sizes).toEqual([1_000_000, 1_000_000, 500_000]);
    expect(new TokenBucketThrottle(1000).burstBytes).toBe(64 * 1024);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('rejects a rate of %d', (rate) => {
    expect(() => createThrottle(rate)).toThrow(InvalidRateError);
  });
});
