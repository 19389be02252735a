import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ByteCounter, countNewlines, LineCounter } from '../src/counters.js';
import { DigestNotReadyError } from '../src/errors.js';
import { Sha256Stream } from '../src/hash.js';
import { dumpLikeText, randomData, runThrough } from './support.js';

describe('Sha256Stream', () => {
  it('passes bytes through and digests them', async () => {
    const data = randomData(3_000_001);
    const hasher = new Sha256Stream();
    const out = await runThrough(data, [1, 65536, 999_999], hasher);
    expect(out.equals(data)).toBe(true);
    expect(hasher.digest()).toBe(createHash('sha256').update(data).digest('hex'));
    expect(hasher.digest()).toBe(hasher.digest());
  });

  it('digests empty input', async () => {
    const hasher = new Sha256Stream();
    await runThrough(Buffer.alloc(0), [1], hasher);
    expect(hasher.digest()).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('refuses to give a digest before the stream finished', () => {
    const hasher = new Sha256Stream();
    hasher.write(Buffer.from('partial'));
    expect(() => hasher.digest()).toThrow(DigestNotReadyError);
    hasher.destroy();
  });
});

describe('counters', () => {
  it('ByteCounter counts every byte', async () => {
    const data = randomData(1_234_567);
    const counter = new ByteCounter();
    const out = await runThrough(data, [7, 100_000], counter);
    expect(out.equals(data)).toBe(true);
    expect(counter.bytes).toBe(1_234_567);
  });

  it('LineCounter counts newlines across any chunking', async () => {
    const data = dumpLikeText(2_000_000);
    const expected = data.toString('latin1').split('\n').length - 1;
    for (const sizes of [[1], [3, 5000], [2_000_000]]) {
      const counter = new LineCounter();
      const out = await runThrough(data, sizes, counter);
      expect(out.equals(data)).toBe(true);
      expect(counter.lines).toBe(expected);
    }
  });

  it.each([
    ['', 0],
    ['\n', 1],
    ['no newline', 0],
    ['a\nb\n', 2],
    ['\n\n\n', 3],
    ['a\r\nb', 1],
  ])('countNewlines(%j) = %i', (text, lines) => {
    expect(countNewlines(Buffer.from(text))).toBe(lines);
  });
});
