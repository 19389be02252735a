import { describe, expect, it } from 'vitest';
import { addChecksums, checksumLines, EMPTY_CHECKSUM, RowChecksum } from '../src/checksum/row-checksum.js';

function sampleRows(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${i}\tname ${i}\t${'x'.repeat(i % 37)}\t\\N\tü€😀`);
}

describe('row checksum', () => {
  it('does not depend on row order or on how rows are split into parts', () => {
    const rows = sampleRows(1000);
    const whole = checksumLines(`${rows.join('\n')}\n`);
    const reversed = checksumLines(`${[...rows].reverse().join('\n')}\n`);
    const parts = [rows.slice(0, 10), rows.slice(10, 500), rows.slice(500)].map((part) =>
      checksumLines(`${part.join('\n')}\n`),
    );
    expect(whole.rows).toBe(1000);
    expect(reversed).toEqual(whole);
    expect(addChecksums(parts.map((part) => part.checksum))).toBe(whole.checksum);
  });

  it('gives the same sum whether lines are fed whole or in arbitrary chunks', () => {
    const bytes = Buffer.from(`${sampleRows(500).join('\n')}\n`);
    const chunked = new RowChecksum();
    let tail = Buffer.alloc(0);
    for (let offset = 0, size = 1; offset < bytes.length; offset += size, size = (size * 7) % 997 || 1) {
      const buffer = Buffer.concat([tail, bytes.subarray(offset, offset + size)]);
      tail = buffer.subarray(chunked.addLines(buffer, 0, buffer.length));
    }
    expect(tail.length).toBe(0);
    expect({ rows: chunked.rows, checksum: chunked.hex() }).toEqual(checksumLines(bytes));
  });

  it('distinguishes content, including lines that differ only in one byte or in length', () => {
    const a = checksumLines('abc\n');
    expect(checksumLines('abd\n').checksum).not.toBe(a.checksum);
    expect(checksumLines('abc \n').checksum).not.toBe(a.checksum);
    expect(checksumLines('\n').checksum).not.toBe(EMPTY_CHECKSUM);
    expect(checksumLines('').checksum).toBe(EMPTY_CHECKSUM);
    expect(checksumLines('abc\nabc\n').checksum).not.toBe(a.checksum);
  });

  it('ignores an unfinished last line and reports where it starts', () => {
    const checksum = new RowChecksum();
    const bytes = Buffer.from('one\ntwo\nthr');
    expect(checksum.addLines(bytes, 0, bytes.length)).toBe(8);
    expect(checksum.rows).toBe(2);
  });

  it('never reads past the given end of a preallocated buffer', () => {
    const buffer = Buffer.from('one\ntwo\n\n\n\n');
    const checksum = new RowChecksum();
    expect(checksum.addLines(buffer, 0, 8)).toBe(8);
    expect(checksum.hex()).toBe(checksumLines('one\ntwo\n').checksum);
  });

  it('wraps around 2^64 when adding', () => {
    expect(addChecksums(['ffffffffffffffff', '0000000000000002'])).toBe('0000000000000001');
    expect(addChecksums([])).toBe(EMPTY_CHECKSUM);
  });
});
