import { describe, expect, it } from 'vitest';
import { InvalidRateError } from '../src/errors.js';
import { parseRate } from '../src/rate.js';

describe('parseRate', () => {
  it.each([
    ['10MB/s', 10_000_000],
    ['10 MB/s', 10_000_000],
    ['10mb/s', 10_000_000],
    ['512KiB/s', 524_288],
    ['512 kib/s', 524_288],
    ['1.5GB/s', 1_500_000_000],
    ['1.5 GiB/s', 1_610_612_736],
    ['100M', 100_000_000],
    ['800k', 800_000],
    ['800K', 800_000],
    ['800kB', 800_000],
    ['2Mi', 2_097_152],
    ['1TB/s', 1_000_000_000_000],
    ['2048', 2048],
    ['2048B/s', 2048],
    ['2048 B', 2048],
    ['0.5KiB/s', 512],
    ['.5MB/s', 500_000],
    ['  25MB/sec  ', 25_000_000],
    ['1.0000001', 1],
  ])('%j → %i bytes/s', (text, expected) => {
    expect(parseRate(text)).toBe(expected);
  });

  it.each(['', 'fast', '10 MB/min', '10XB/s', '-5MB/s', '0', '0MB/s', '10 M B/s', '1e6', 'MB/s', '10iB/s', '0.1'])(
    'rejects %j',
    (text) => {
      expect(() => parseRate(text)).toThrow(InvalidRateError);
    },
  );

  it('says which forms it expects', () => {
    expect(() => parseRate('fast')).toThrow(/invalid rate "fast": .* such as '10MB\/s', '512KiB\/s'/);
    expect(() => parseRate('0')).toThrow(/at least 1 byte per second/);
  });
});
